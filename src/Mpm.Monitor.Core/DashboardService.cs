namespace Mpm.Monitor.Core;

/// <summary>
/// The in-process way to publish monitor events (CONTRACT §4). Collectors and other .NET
/// code depend on exactly these two members; the event pipeline fills in the bodies.
/// </summary>
public sealed class DashboardService
{
    /// <summary>Publishes without waiting; failures are logged, never thrown at the caller.</summary>
    public void Emit(string eventName, object data) => throw new NotImplementedException("event pipeline: issue 4");

    /// <summary>Completes when the event is stored; returns its id.</summary>
    public Task<long> EmitAsync(string eventName, object data, CancellationToken cancellationToken = default)
        => throw new NotImplementedException("event pipeline: issue 4");
}
