namespace Mpm.Monitor.SocketIO;
