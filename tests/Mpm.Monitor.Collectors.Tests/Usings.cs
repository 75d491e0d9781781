namespace Mpm.Monitor.Collectors.Tests;
