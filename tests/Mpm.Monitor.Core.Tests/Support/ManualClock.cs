namespace Mpm.Monitor.Core.Tests.Support;

/// <summary>A clock the test sets, for retention and active/idle decisions.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
