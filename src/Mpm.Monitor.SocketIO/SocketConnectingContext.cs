namespace Mpm.Monitor.SocketIO;

/// <summary>Given to namespace middleware before a socket is connected; <see cref="Reject"/> refuses it.</summary>
public sealed class SocketConnectingContext
{
    internal SocketConnectingContext(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    internal string? RejectMessage { get; private set; }

    internal object? RejectData { get; private set; }

    /// <summary>Refuses the connection: the client gets CONNECT_ERROR with this message (and data, for v5 clients).</summary>
    public void Reject(string message, object? data = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        RejectMessage = message;
        RejectData = data;
    }
}
