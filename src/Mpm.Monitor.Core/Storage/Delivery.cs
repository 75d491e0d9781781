namespace Mpm.Monitor.Core.Storage;

/// <summary>
/// An idempotency key for a slice of the drafts given to one append: the <paramref name="Count"/>
/// drafts from <paramref name="Offset"/> are one delivery (e.g. a spooled Claude Code hook input and
/// the events it mapped to), recorded under <paramref name="Key"/> in the same transaction as they are.
/// </summary>
public readonly record struct Delivery(string Key, int Offset, int Count);
