namespace Mpm.Monitor.Collectors;
