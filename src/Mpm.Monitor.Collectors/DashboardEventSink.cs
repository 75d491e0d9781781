using Mpm.Monitor.Core;

namespace Mpm.Monitor.Collectors;

/// <summary>Publishes through the monitor's event pipeline, so stats are stored and broadcast like any event.</summary>
internal sealed class DashboardEventSink(DashboardService dashboard) : IEventSink
{
    public void Publish(string eventName, object data) => dashboard.Emit(eventName, data);
}
