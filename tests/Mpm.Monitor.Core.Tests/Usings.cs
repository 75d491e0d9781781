namespace Mpm.Monitor.Core.Tests;
