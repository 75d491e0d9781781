using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Pipeline;
using Mpm.Monitor.SocketIO;

namespace Mpm.Monitor.Realtime;

/// <summary>
/// Sends every stored event under its name to the sockets subscribed to it, through rooms
/// (<see cref="RoomNames"/>): one packet built from <see cref="StoredEvent.Payload"/> and queued to
/// each target without waiting. Sockets still replaying history are in no room; their live events go
/// to their <see cref="ReplayingFeed"/> instead, and they join their rooms in the same critical
/// section as a broadcast, so each event reaches them exactly once, in order.
/// </summary>
internal sealed class SocketEventBroadcaster(SocketIOServer io) : IEventBroadcaster
{
    private readonly Lock _gate = new();
    private ReplayingFeed[] _replaying = [];

    public void Broadcast(StoredEvent storedEvent)
    {
        var target = io.Sockets.To(RoomNames.Type(storedEvent.Type)).To(RoomNames.All).Except(RoomNames.Except(storedEvent.Type));
        lock (_gate)
        {
            target.EmitRaw(storedEvent.Type, storedEvent.Payload);
            foreach (var feed in _replaying)
                feed.Offer(storedEvent);
        }
    }

    /// <summary>Starts routing live events to the feed; call before its replay.</summary>
    public void Attach(ReplayingFeed feed)
    {
        lock (_gate)
            _replaying = [.. _replaying, feed];
    }

    /// <summary>
    /// Between two broadcasts: if <paramref name="caughtUp"/> still holds, joins the socket's rooms
    /// (<paramref name="route"/>) and stops offering to the feed.
    /// </summary>
    public bool TryHandOver(ReplayingFeed feed, Func<bool> caughtUp, Action route)
    {
        lock (_gate)
        {
            if (!caughtUp())
                return false;
            route();
            Detach(feed);
            return true;
        }
    }

    /// <summary>Stops offering to a feed whose replay ended early (disconnect, failure).</summary>
    public void Abandon(ReplayingFeed feed)
    {
        lock (_gate)
            Detach(feed);
    }

    private void Detach(ReplayingFeed feed) => _replaying = [.. _replaying.Where(f => f != feed)];
}
