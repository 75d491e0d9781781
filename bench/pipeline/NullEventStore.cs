using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Storage;

/// <summary>For the "nostore" mode: the whole pipeline (validation, envelope, serialisation, projections) but nothing kept.</summary>
internal sealed class NullEventStore : IEventStore
{
    private long _lastId;

    public Task OpenAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<StoredEvent>> AppendAsync(IReadOnlyList<EventDraft> drafts, CancellationToken cancellationToken)
    {
        var stored = new StoredEvent[drafts.Count];
        for (int i = 0; i < stored.Length; i++)
        {
            long id = ++_lastId;
            stored[i] = drafts[i].ToStoredEvent(id, drafts[i].Serialize(id));
        }

        return Task.FromResult<IReadOnlyList<StoredEvent>>(stored);
    }

    public Task<IReadOnlyList<StoredEvent>> ReadAsync(EventQuery query, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<StoredEvent>>([]);

    public Task<long> GetLastIdAsync(CancellationToken cancellationToken) => Task.FromResult(_lastId);

    public Task<long> CountAsync(CancellationToken cancellationToken) => Task.FromResult(0L);

    public Task<long> PruneAsync(DateTimeOffset storedBefore, CancellationToken cancellationToken) => Task.FromResult(0L);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
