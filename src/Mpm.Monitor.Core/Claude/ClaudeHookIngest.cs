using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Pipeline;

namespace Mpm.Monitor.Core.Claude;

/// <summary>
/// Stores one Claude Code hook input: maps it (<see cref="ClaudeHookMapper"/>) and publishes every
/// mapped event as one atomic batch. With a spool id (the forwarder's <c>X-Mpm-Spool-Id</c>, or a
/// spooled file's name) it takes effect at most once: the id is recorded in the same transaction as
/// the events, and an id already stored answers with the ids stored then, without mapping the input
/// again (so a redelivery cannot disturb the mapper's pairing of tool calls).
/// </summary>
/// <remarks>
/// The same id delivered twice at once (the forwarder gave up waiting and spooled it while the
/// monitor was still storing it, and the drain picked the file up) waits for the first attempt.
/// </remarks>
public sealed class ClaudeHookIngest(ClaudeHookMapper mapper, EventPipeline pipeline)
{
    private readonly ConcurrentDictionary<string, Task<IReadOnlyList<long>>> _inflight = new(StringComparer.Ordinal);

    /// <summary>Returns the stored ids (those stored before, for a known <paramref name="spoolId"/>).</summary>
    /// <param name="observedAt">when the hook fired, if not now (a spooled input).</param>
    /// <exception cref="HookInputRejectedException">the input cannot be stored as it is.</exception>
    /// <exception cref="EventStoreUnavailableException">the store failed; retry later.</exception>
    /// <exception cref="EventPipelineStoppedException">the monitor is stopping; retry later.</exception>
    public async Task<IReadOnlyList<long>> IngestAsync(JsonObject input, string? spoolId, DateTimeOffset? observedAt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (spoolId is null) return await StoreAsync(input, null, observedAt, cancellationToken).ConfigureAwait(false);

        var mine = new TaskCompletionSource<IReadOnlyList<long>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _inflight.GetOrAdd(spoolId, mine.Task);
        if (running != mine.Task) return await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ids = await StoreAsync(input, spoolId, observedAt, cancellationToken).ConfigureAwait(false);
            _inflight.TryRemove(new(spoolId, mine.Task));
            mine.SetResult(ids);
            return ids;
        }
        catch (Exception e)
        {
            _inflight.TryRemove(new(spoolId, mine.Task));
            mine.SetException(e);
            _ = mine.Task.Exception; // observed here; a concurrent waiter gets it too
            throw;
        }
    }

    private async Task<IReadOnlyList<long>> StoreAsync(JsonObject input, string? spoolId, DateTimeOffset? observedAt, CancellationToken ct)
    {
        if (spoolId is not null && await pipeline.Store.FindDeliveryAsync(spoolId, ct).ConfigureAwait(false) is { } known) return known;

        IReadOnlyList<MappedEvent> mapped;
        try
        {
            mapped = await mapper.MapAsync(input, spoolId, observedAt, ct).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new HookInputRejectedException(e.Message, tooLarge: false, e);
        }

        var events = new IncomingEvent[mapped.Count];
        for (var i = 0; i < events.Length; i++) events[i] = new IncomingEvent(mapped[i].Name, JsonElements.From(mapped[i].Data));
        IReadOnlyList<StoredEvent> stored;
        try
        {
            // Not cancelled with the request: once mapped, the input is stored whoever stops waiting,
            // so that its spool id is known before a redelivery looks for it.
            stored = await pipeline.PublishAsync(events, spoolId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (EventRejectedException e)
        {
            var which = e.ItemIndex is int i ? $"the mapped {mapped[i].Name} event: " : "";
            throw new HookInputRejectedException(which + e.Detail, e.Reason == EventRejection.TooLarge, e);
        }
        var ids = new long[stored.Count];
        for (var i = 0; i < ids.Length; i++) ids[i] = stored[i].Id;
        return ids;
    }
}
