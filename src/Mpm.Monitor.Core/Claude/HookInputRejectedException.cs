namespace Mpm.Monitor.Core.Claude;

/// <summary>
/// A hook input that can never be stored as it is (no <c>hook_event_name</c>, a mapped event the
/// pipeline refuses, too large even after <see cref="HookInputRedaction"/>): a client error, and a
/// spooled input to set aside rather than retry.
/// </summary>
public sealed class HookInputRejectedException(string message, bool tooLarge, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Refused for its size (HTTP 413) rather than its content (400).</summary>
    public bool TooLarge { get; } = tooLarge;
}
