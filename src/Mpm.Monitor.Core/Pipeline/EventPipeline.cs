using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Projections;
using Mpm.Monitor.Core.Storage;

namespace Mpm.Monitor.Core.Pipeline;

/// <summary>
/// The one path of every event: validate and envelope (on the publisher's thread), then on one
/// writer thread store (a group of whatever is queued, in one transaction), then on one publisher
/// thread project and broadcast, in id order; publishers complete once their events are durable,
/// projected and broadcast. Both queues are bounded, so publishers wait when the store falls behind
/// instead of memory growing.
/// </summary>
public sealed partial class EventPipeline
{
    /// <summary>The most events one <see cref="PublishAsync(IReadOnlyList{IncomingEvent}, CancellationToken)"/> takes.</summary>
    public const int MaxBatch = 1000;

    // Submissions (each up to MaxBatch events) the queue holds before publishers wait.
    private const int QueueCapacity = 512;

    // Events grouped into one transaction at most; bounds the latency of the group's first event.
    private const int MaxGroup = 8192;

    private const int RebuildPage = 5000;

    // Stored groups waiting to be projected and broadcast: the writer stores the next group meanwhile.
    private const int StoredCapacity = 4;

    private readonly Channel<Submission> _queue = Channel.CreateBounded<Submission>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Channel<StoredGroup> _stored = Channel.CreateBounded<StoredGroup>(
        new BoundedChannelOptions(StoredCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly EventEnvelope _envelope;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Publishers waiting for room in the queue; stopping lets them in before closing it, so every
    // event published before stop began is stored.
    private readonly Lock _admission = new();
    private readonly TaskCompletionSource _admitted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waitingToQueue;
    private bool _stopping;
    private IEventBroadcaster[] _broadcasters = [];
    private long _lastEventId;
    private int _started;
    private bool _writerRunning;

    internal EventPipeline(IEventStore store, MonitorState state, EventEnvelope envelope, ILogger<EventPipeline> logger)
    {
        Store = store;
        State = state;
        _envelope = envelope;
        _logger = logger;
    }

    /// <summary>The store, for reads (history, replay). Only the pipeline appends to it.</summary>
    public IEventStore Store { get; }

    /// <summary>The projections, current up to <see cref="LastEventId"/>.</summary>
    public MonitorState State { get; }

    /// <summary>
    /// The newest event that is stored, projected and handed to every broadcaster. An event with a
    /// larger id has not been broadcast yet, so a replay that reads the store up to this id after
    /// its connection started receiving broadcasts misses nothing.
    /// </summary>
    public long LastEventId => Volatile.Read(ref _lastEventId);

    /// <summary>Publishes one event; completes when it is stored. Throws <see cref="EventRejectedException"/> for bad input.</summary>
    public async Task<StoredEvent> PublishAsync(string name, JsonElement data, CancellationToken cancellationToken = default)
    {
        var stored = await SubmitAsync([_envelope.Create(name, data)], cancellationToken);
        return stored[0];
    }

    /// <summary>
    /// Publishes a batch (up to <see cref="MaxBatch"/>) all or nothing: one bad event rejects the
    /// batch with an <see cref="EventRejectedException"/> naming its index. Completes when stored.
    /// </summary>
    public Task<IReadOnlyList<StoredEvent>> PublishAsync(IReadOnlyList<IncomingEvent> events, CancellationToken cancellationToken = default) =>
        PublishAsync(events, deliveryKey: null, cancellationToken);

    /// <summary>
    /// As <see cref="PublishAsync(IReadOnlyList{IncomingEvent}, CancellationToken)"/>; a <paramref name="deliveryKey"/>
    /// is recorded in the store in the same transaction as the events (<see cref="IEventStore.FindDeliveryAsync"/>),
    /// so a redelivery can be recognised. The caller checks for a known key first.
    /// </summary>
    public Task<IReadOnlyList<StoredEvent>> PublishAsync(IReadOnlyList<IncomingEvent> events, string? deliveryKey, CancellationToken cancellationToken = default)
    {
        if (events.Count > MaxBatch)
        {
            throw new EventRejectedException(EventRejection.Invalid, $"a batch holds at most {MaxBatch} events, not {events.Count}");
        }

        var drafts = new EventDraft[events.Count];
        for (int i = 0; i < drafts.Length; i++)
        {
            try
            {
                drafts[i] = _envelope.Create(events[i].Name, events[i].Data);
            }
            catch (EventRejectedException e)
            {
                throw e.ForItem(i);
            }
        }

        return SubmitAsync(drafts, cancellationToken, deliveryKey);
    }

    /// <summary>Opens the store, rebuilds the projections from it and starts the writer.</summary>
    internal async Task StartAsync(IEnumerable<IEventBroadcaster> broadcasters, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("the event pipeline is already started");
        }

        var watch = Stopwatch.StartNew();
        await Store.OpenAsync(cancellationToken);
        long after = 0, rebuilt = 0;
        while (true)
        {
            var page = await Store.ReadAsync(new EventQuery(after, Limit: RebuildPage), cancellationToken);
            foreach (var e in page)
            {
                State.Apply(e);
            }

            rebuilt += page.Count;
            if (page.Count < RebuildPage)
            {
                break;
            }

            after = page[^1].Id;
        }

        _lastEventId = await Store.GetLastIdAsync(cancellationToken);
        _broadcasters = broadcasters.ToArray();
        LogRebuilt(rebuilt, _lastEventId, watch.ElapsedMilliseconds);
        new Thread(RunWriter) { IsBackground = true, Name = "mpm-event-writer" }.Start();
        new Thread(RunPublisher) { IsBackground = true, Name = "mpm-event-publisher" }.Start();
        Volatile.Write(ref _writerRunning, true);
    }

    /// <summary>Stops taking events and returns once every queued event is stored and broadcast.</summary>
    internal async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_admission)
        {
            _stopping = true;
            if (_waitingToQueue == 0)
            {
                _admitted.TrySetResult();
            }
        }

        await _admitted.Task.WaitAsync(cancellationToken);
        _queue.Writer.TryComplete();
        if (Volatile.Read(ref _writerRunning))
        {
            await _stopped.Task.WaitAsync(cancellationToken);
        }
    }

    private async Task<IReadOnlyList<StoredEvent>> SubmitAsync(EventDraft[] drafts, CancellationToken cancellationToken, string? deliveryKey = null)
    {
        if (drafts.Length == 0)
        {
            return [];
        }

        var submission = new Submission(drafts, deliveryKey);
        lock (_admission)
        {
            if (_stopping)
            {
                throw new EventPipelineStoppedException();
            }

            _waitingToQueue++;
        }

        try
        {
            await _queue.Writer.WriteAsync(submission, cancellationToken);
        }
        finally
        {
            lock (_admission)
            {
                if (--_waitingToQueue == 0 && _stopping)
                {
                    _admitted.TrySetResult();
                }
            }
        }

        // Once queued the events will be stored whatever happens to the caller; cancelling only stops the wait.
        return await submission.Stored.Task.WaitAsync(cancellationToken);
    }

    private void RunWriter()
    {
        var reader = _queue.Reader;
        var group = new List<Submission>();
        var drafts = new List<EventDraft>(MaxGroup);
        try
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (drafts.Count < MaxGroup && reader.TryRead(out var submission))
                {
                    group.Add(submission);
                    drafts.AddRange(submission.Drafts);
                }

                if (Append(group, drafts) is { } stored)
                {
                    _stored.Writer.WriteAsync(new StoredGroup(group.ToArray(), stored)).AsTask().GetAwaiter().GetResult();
                }

                group.Clear();
                drafts.Clear();
            }

            _stored.Writer.TryComplete();
        }
        catch (Exception e)
        {
            // Only a bug gets here (store failures are handled per group); fail loudly to everyone waiting.
            // The publisher logs it when it reaches the end of the hand-off.
            _stored.Writer.TryComplete(e);
            while (reader.TryRead(out var submission))
            {
                submission.Stored.TrySetException(e);
            }
        }
    }

    /// <summary>Stores the group's events in one transaction; on failure its publishers get the error and it returns null.</summary>
    private IReadOnlyList<StoredEvent>? Append(List<Submission> group, List<EventDraft> drafts)
    {
        try
        {
            List<Delivery>? deliveries = null;
            int start = 0;
            foreach (var submission in group)
            {
                if (submission.DeliveryKey is { } key)
                {
                    (deliveries ??= []).Add(new Delivery(key, start, submission.Drafts.Length));
                }

                start += submission.Drafts.Length;
            }

            return (deliveries is null
                ? Store.AppendAsync(drafts, CancellationToken.None)
                : Store.AppendAsync(drafts, deliveries, CancellationToken.None)).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            LogStoreFailed(e, drafts.Count);
            var failure = new EventStoreUnavailableException("the event store failed to save the events: " + e.Message, e);
            foreach (var submission in group)
            {
                submission.Stored.TrySetException(failure);
            }

            return null;
        }
    }

    private void RunPublisher()
    {
        var reader = _stored.Reader;
        try
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out var group))
                {
                    Publish(group);
                }
            }

            _stopped.TrySetResult();
        }
        catch (Exception e)
        {
            LogWriterFailed(e);
            _stopped.TrySetException(e);
            while (reader.TryRead(out var group))
            {
                foreach (var submission in group.Submissions)
                {
                    submission.Stored.TrySetException(e);
                }
            }
        }
    }

    private void Publish(StoredGroup group)
    {
        var stored = group.Events;
        foreach (var e in stored)
        {
            try
            {
                State.Apply(e);
            }
            catch (Exception ex)
            {
                LogProjectionFailed(ex, e.Id, e.Type);
            }

            foreach (var broadcaster in _broadcasters)
            {
                try
                {
                    broadcaster.Broadcast(e);
                }
                catch (Exception ex)
                {
                    LogBroadcastFailed(ex, e.Id, broadcaster.GetType().Name);
                }
            }
        }

        Volatile.Write(ref _lastEventId, stored[^1].Id);
        int offset = 0;
        foreach (var submission in group.Submissions)
        {
            var mine = new StoredEvent[submission.Drafts.Length];
            for (int i = 0; i < mine.Length; i++)
            {
                mine[i] = stored[offset + i];
            }

            offset += mine.Length;
            submission.Stored.TrySetResult(mine);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Event store open: {Events} events rebuilt into the projections, last id {LastId}, in {Elapsed} ms")]
    private partial void LogRebuilt(long events, long lastId, long elapsed);

    [LoggerMessage(2, LogLevel.Error, "Storing {Count} events failed; their publishers get the error")]
    private partial void LogStoreFailed(Exception exception, int count);

    [LoggerMessage(3, LogLevel.Error, "Projecting event {Id} ({Type}) failed; it is stored and broadcast all the same")]
    private partial void LogProjectionFailed(Exception exception, long id, string type);

    [LoggerMessage(4, LogLevel.Error, "Broadcaster {Broadcaster} failed on event {Id}")]
    private partial void LogBroadcastFailed(Exception exception, long id, string broadcaster);

    [LoggerMessage(5, LogLevel.Critical, "The event writer or publisher stopped")]
    private partial void LogWriterFailed(Exception exception);

    private sealed record StoredGroup(Submission[] Submissions, IReadOnlyList<StoredEvent> Events);

    private sealed class Submission(EventDraft[] drafts, string? deliveryKey)
    {
        public EventDraft[] Drafts { get; } = drafts;

        public string? DeliveryKey { get; } = deliveryKey;

        public TaskCompletionSource<IReadOnlyList<StoredEvent>> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
