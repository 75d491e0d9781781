using Mpm.Monitor.Core.Events;

namespace Mpm.Monitor.Core.Storage;

/// <summary>
/// Where events are kept. Ids are assigned by the store (rising by one per stored event), so a store
/// shared by several monitors (PostgreSQL) can hand them out itself. <see cref="AppendAsync"/> is
/// called by one writer at a time (the pipeline); reads may run concurrently with it.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>Creates the schema if needed and learns the last id. Called once before anything else.</summary>
    Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>Stores the drafts in one transaction, assigning consecutive ids in order; durable when it completes.</summary>
    Task<IReadOnlyList<StoredEvent>> AppendAsync(IReadOnlyList<EventDraft> drafts, CancellationToken cancellationToken);

    /// <summary>Events matching the query, oldest first.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>The newest id ever stored (0 when none), even when pruning removed that event.</summary>
    Task<long> GetLastIdAsync(CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>Deletes events stored before <paramref name="storedBefore"/>; returns how many.</summary>
    Task<long> PruneAsync(DateTimeOffset storedBefore, CancellationToken cancellationToken);
}
