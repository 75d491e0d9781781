namespace Mpm.Monitor.Hosting;

/// <summary>Time since the monitor started listening.</summary>
public sealed class MonitorUptime(TimeProvider time)
{
    private long _startedAt = time.GetTimestamp();

    /// <summary>Called once the server listens, so uptime does not count start-up.</summary>
    internal void MarkStarted() => _startedAt = time.GetTimestamp();

    public TimeSpan Elapsed => time.GetElapsedTime(_startedAt);
}
