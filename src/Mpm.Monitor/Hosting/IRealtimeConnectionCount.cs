namespace Mpm.Monitor.Hosting;

/// <summary>
/// How many Socket.IO clients are connected to the <c>/</c> namespace now (for <c>/health</c>).
/// Seam: the Socket.IO server provides the real implementation.
/// </summary>
public interface IRealtimeConnectionCount
{
    int Count { get; }
}

/// <summary>Stands in until the Socket.IO server is wired up.</summary>
internal sealed class NoRealtimeConnections : IRealtimeConnectionCount
{
    public int Count => 0;
}
