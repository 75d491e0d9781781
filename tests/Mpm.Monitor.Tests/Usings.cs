namespace Mpm.Monitor.Tests;
