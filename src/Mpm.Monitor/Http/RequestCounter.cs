namespace Mpm.Monitor.Http;

/// <summary>Counts the HTTP requests the monitor has served (<c>/status</c> metrics.total_requests).</summary>
public sealed class RequestCounter
{
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    internal void Increment() => Interlocked.Increment(ref _total);
}
