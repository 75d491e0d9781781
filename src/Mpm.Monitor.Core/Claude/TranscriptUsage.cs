namespace Mpm.Monitor.Core.Claude;

/// <summary>
/// Token figures of one transcript (CONTRACT §5): <see cref="TokenUsage"/> is the context in use
/// after the latest main-conversation assistant line; the four totals cover the whole transcript.
/// </summary>
public sealed record TranscriptUsage(
    long TokenUsage,
    double ContextPercentage,
    string? Model,
    long InputTokens,
    long OutputTokens,
    long CacheReadTokens,
    long CacheCreationTokens)
{
    public static TranscriptUsage Empty { get; } = new(0, 0, null, 0, 0, 0, 0);
}
