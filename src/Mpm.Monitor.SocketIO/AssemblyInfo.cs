using System.Runtime.CompilerServices;

// The conformance host mounts a bare Engine.IO echo server, which is not public API.
[assembly: InternalsVisibleTo("ConformanceHost")]

// The protocol fuzz test drives the packet parsers directly, as well as over the wire.
[assembly: InternalsVisibleTo("Mpm.Monitor.SocketIO.Tests")]
