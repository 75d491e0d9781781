using System.Threading.Channels;
using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Pipeline;
using Mpm.Monitor.SocketIO;

namespace Mpm.Monitor.Realtime;

/// <summary>
/// Replays the stored events after a client's <c>last_event_id</c> to its socket, then hands it to
/// the broadcast rooms. A <see cref="ReplayingFeed"/> orders replayed and live events; they are queued
/// here and sent at the pace the client reads (<see cref="Socket.EmitRawAsync"/>), the feed reading
/// the next page of history only once the previous one is mostly sent. The socket joins its rooms
/// when nothing is left in flight, atomically with respect to broadcasts, so no event is lost,
/// repeated or reordered at the switch.
/// </summary>
internal sealed class SocketReplay
{
    // Events queued here but not yet in the socket's queue before the next page of history is read.
    private const int ReadAheadLimit = 256;

    // A client this far behind (a page of history plus live events it does not read) is too slow to
    // catch up: it is disconnected, as a live client whose queue overflows is, rather than held in memory.
    private const int MaxBacklog = 10_000;

    private readonly Socket _socket;
    private readonly Subscriptions _subscriptions;
    private readonly SocketEventBroadcaster _broadcaster;
    private readonly Channel<StoredEvent> _queued = Channel.CreateUnbounded<StoredEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _gone = new();
    private TaskCompletionSource? _waiter;
    private int _waitBelow;
    private int _inFlight;
    private int _overflowed;

    public SocketReplay(Socket socket, Subscriptions subscriptions, SocketEventBroadcaster broadcaster)
    {
        _socket = socket;
        _subscriptions = subscriptions;
        _broadcaster = broadcaster;
    }

    /// <summary>Events sent to the socket so far.</summary>
    public long Sent { get; private set; }

    /// <summary>Whether the client fell so far behind that it was disconnected.</summary>
    public bool Overflowed => Volatile.Read(ref _overflowed) != 0;

    /// <summary>Completes once the socket follows live events through its rooms; throws <see cref="OperationCanceledException"/> if it left first.</summary>
    public async Task RunAsync(EventPipeline pipeline, long afterId)
    {
        var feed = new ReplayingFeed(afterId, e => _subscriptions.Wants(e.Type), Queue);
        var pump = PumpAsync();
        _broadcaster.Attach(feed);
        try
        {
            await feed.ReplayAsync(pipeline.Store, ct => WaitUntilInFlightBelowAsync(ReadAheadLimit, ct), _gone.Token);
            // The replay may have sent events that are stored but not broadcast yet; in the rooms the
            // socket would get them again, so it joins them only once the broadcast has passed them.
            bool CaughtUp() => Volatile.Read(ref _inFlight) == 0 && pipeline.LastEventId >= feed.LastSent;
            while (true)
            {
                await WaitUntilInFlightBelowAsync(1, _gone.Token);
                if (pipeline.LastEventId < feed.LastSent)
                {
                    await Task.Delay(1, _gone.Token);
                    continue;
                }

                if (_broadcaster.TryHandOver(feed, CaughtUp, () => _subscriptions.Route(_socket)))
                    break;
            }
        }
        catch
        {
            _broadcaster.Abandon(feed);
            throw;
        }
        finally
        {
            _queued.Writer.TryComplete();
            await pump;
            _gone.Dispose();
        }
    }

    // Called by the feed under its lock (replayed events, and live ones under the broadcaster's gate): must not block.
    private void Queue(StoredEvent e)
    {
        if (Interlocked.Increment(ref _inFlight) > MaxBacklog)
        {
            if (Interlocked.Exchange(ref _overflowed, 1) == 0)
                _socket.Disconnect(close: true); // non-blocking; the pump then finds the socket gone
            return;
        }
        _queued.Writer.TryWrite(e);
    }

    private async Task PumpAsync()
    {
        await foreach (var e in _queued.Reader.ReadAllAsync())
        {
            if (_gone.IsCancellationRequested)
                continue;
            bool sent;
            try
            {
                sent = await _socket.EmitRawAsync(e.Type, e.Payload, _gone.Token);
            }
            catch (OperationCanceledException)
            {
                sent = false;
            }
            if (!sent)
            {
                // The client left: stop the replay and whoever waits on it.
                _gone.Cancel();
                continue;
            }
            Sent++;
            var left = Interlocked.Decrement(ref _inFlight);
            if (left < Volatile.Read(ref _waitBelow))
                Interlocked.Exchange(ref _waiter, null)?.TrySetResult();
        }
    }

    private async ValueTask WaitUntilInFlightBelowAsync(int limit, CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _inFlight) >= limit)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _waitBelow, limit);
            Interlocked.Exchange(ref _waiter, waiter);
            if (Volatile.Read(ref _inFlight) < limit)
                return;
            await waiter.Task.WaitAsync(cancellationToken);
        }
    }
}
