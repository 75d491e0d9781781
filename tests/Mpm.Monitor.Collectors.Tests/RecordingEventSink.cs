using System.Collections.Concurrent;

namespace Mpm.Monitor.Collectors.Tests;

/// <summary>
/// Stands in for the event pipeline (DashboardService is built in another issue): keeps what
/// the collectors publish so tests can look at it.
/// </summary>
internal sealed class RecordingEventSink : IEventSink
{
    private readonly ConcurrentQueue<(string Name, object Data)> _events = new();

    public void Publish(string eventName, object data) => _events.Enqueue((eventName, data));

    public IEnumerable<T> Of<T>(string eventName) => _events.Where(e => e.Name == eventName).Select(e => e.Data).OfType<T>();
}
