namespace Mpm.Monitor.Core;
