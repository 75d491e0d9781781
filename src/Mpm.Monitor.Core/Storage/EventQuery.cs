namespace Mpm.Monitor.Core.Storage;

/// <summary>Which stored events to read: those after <see cref="AfterId"/>, oldest first.</summary>
/// <param name="AfterId">Only events with a larger id (0 = from the beginning).</param>
/// <param name="Types">Only these event names; null or empty = all.</param>
/// <param name="SessionId">Only events of this session; null = all.</param>
/// <param name="Limit">At most this many (1 to <see cref="MaxLimit"/>).</param>
public sealed record EventQuery(long AfterId = 0, IReadOnlyCollection<string>? Types = null, string? SessionId = null, int Limit = EventQuery.DefaultLimit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
}
