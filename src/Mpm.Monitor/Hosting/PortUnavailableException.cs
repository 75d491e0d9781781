namespace Mpm.Monitor.Hosting;

/// <summary>Kestrel could not listen on the configured host and port; <c>mpm</c> exits 3.</summary>
internal sealed class PortUnavailableException(string host, int port, string reason, Exception inner)
    : Exception($"cannot listen on {host}:{port}: {reason}. Is another program (another mpm?) using it? " +
        $"Choose another port with --port N (or --port 0 for any free port).", inner);
