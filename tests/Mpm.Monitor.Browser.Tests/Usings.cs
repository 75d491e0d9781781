namespace Mpm.Monitor.Browser.Tests;
