using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Storage;

namespace Mpm.Monitor.Core.Pipeline;

/// <summary>
/// One client's ordered event feed that first replays stored events after a known id and then
/// follows live broadcasts, with no gap and no duplicate even while events keep arriving.
/// Create it and route the broadcaster's events for this client to <see cref="Offer"/> before
/// calling <see cref="ReplayAsync"/>: live events offered during the replay are not sent but make
/// the replay read the store again (a broadcast event is always already stored), and the switch to
/// live happens under the same lock as <see cref="Offer"/>.
/// </summary>
public sealed class ReplayingFeed
{
    private const int Page = 1000;

    private readonly Lock _gate = new();
    private readonly Func<StoredEvent, bool> _wanted;
    private readonly Action<StoredEvent> _send;
    private long _lastSent;
    private long _newestOffered;
    private bool _replaying = true;

    /// <param name="afterId">The last id the client has; replay starts after it.</param>
    /// <param name="wanted">Whether the client wants an event (its subscriptions); checked for replayed and live events alike.</param>
    /// <param name="send">Hands an event to the client; called in id order, never concurrently, and must not block.</param>
    public ReplayingFeed(long afterId, Func<StoredEvent, bool> wanted, Action<StoredEvent> send)
    {
        _lastSent = afterId;
        _newestOffered = afterId;
        _wanted = wanted;
        _send = send;
    }

    /// <summary>
    /// The newest id the feed has passed on (or passed over as unwanted). The replay reads the store,
    /// which runs ahead of the broadcast, so this can be larger than <see cref="EventPipeline.LastEventId"/>.
    /// </summary>
    public long LastSent => Volatile.Read(ref _lastSent);

    /// <summary>A live event (from an <see cref="IEventBroadcaster"/>, in id order).</summary>
    public void Offer(StoredEvent e)
    {
        lock (_gate)
        {
            if (_replaying)
            {
                _newestOffered = Math.Max(_newestOffered, e.Id);
                return;
            }

            if (e.Id > _lastSent)
            {
                _lastSent = e.Id;
                if (_wanted(e))
                {
                    _send(e);
                }
            }
        }
    }

    /// <summary>Sends every stored event after the start id, then switches to live events.</summary>
    public Task ReplayAsync(IEventStore store, CancellationToken cancellationToken) =>
        ReplayAsync(store, beforeNextPage: null, cancellationToken);

    /// <summary>
    /// As <see cref="ReplayAsync(IEventStore, CancellationToken)"/>, awaiting <paramref name="beforeNextPage"/>
    /// before reading each page after the first, so a sender that queues events can hold the replay back
    /// until the client has taken what it was given (a long replay then never sits in memory whole).
    /// </summary>
    public async Task ReplayAsync(IEventStore store, Func<CancellationToken, ValueTask>? beforeNextPage, CancellationToken cancellationToken)
    {
        for (var first = true; ; first = false)
        {
            if (!first && beforeNextPage is not null)
            {
                await beforeNextPage(cancellationToken);
            }

            var page = await store.ReadAsync(new EventQuery(Volatile.Read(ref _lastSent), Limit: Page), cancellationToken);
            lock (_gate)
            {
                foreach (var e in page)
                {
                    _lastSent = e.Id;
                    if (_wanted(e))
                    {
                        _send(e);
                    }
                }

                if (page.Count < Page && _newestOffered <= _lastSent)
                {
                    // Caught up with everything broadcast so far; from here Offer sends.
                    _replaying = false;
                    return;
                }
            }
        }
    }
}
