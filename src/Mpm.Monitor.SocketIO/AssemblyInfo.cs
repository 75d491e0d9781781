using System.Runtime.CompilerServices;

// The conformance host mounts a bare Engine.IO echo server, which is not public API.
[assembly: InternalsVisibleTo("ConformanceHost")]
