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

    /// <summary>
    /// Like <see cref="AppendAsync(IReadOnlyList{EventDraft}, CancellationToken)"/>, and records each
    /// <paramref name="deliveries"/> key with the ids of its drafts in the same transaction, so a key is
    /// known exactly when its events are stored (<see cref="FindDeliveryAsync"/>).
    /// </summary>
    Task<IReadOnlyList<StoredEvent>> AppendAsync(IReadOnlyList<EventDraft> drafts, IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken) =>
        deliveries.Count == 0
            ? AppendAsync(drafts, cancellationToken)
            : throw new NotSupportedException($"{GetType().Name} does not record delivery keys");

    /// <summary>The ids stored under a delivery key, or null when no delivery with that key was stored.</summary>
    Task<IReadOnlyList<long>?> FindDeliveryAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<long>?>(null);

    /// <summary>Events matching the query, oldest first.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>The newest id ever stored (0 when none), even when pruning removed that event.</summary>
    Task<long> GetLastIdAsync(CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>Deletes events (and delivery keys) stored before <paramref name="storedBefore"/>; returns how many events.</summary>
    Task<long> PruneAsync(DateTimeOffset storedBefore, CancellationToken cancellationToken);
}
