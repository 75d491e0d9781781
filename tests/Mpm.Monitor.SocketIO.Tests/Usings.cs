namespace Mpm.Monitor.SocketIO.Tests;
