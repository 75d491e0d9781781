using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Pipeline;

namespace Mpm.Monitor.Core.Tests.Support;

/// <summary>Keeps what the pipeline broadcast, in the order it was handed over.</summary>
internal sealed class RecordingBroadcaster : IEventBroadcaster
{
    private readonly Lock _gate = new();
    private readonly List<StoredEvent> _events = [];

    public IReadOnlyList<StoredEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToArray();
            }
        }
    }

    public void Broadcast(StoredEvent storedEvent)
    {
        lock (_gate)
        {
            _events.Add(storedEvent);
        }
    }
}
