using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mpm.Monitor.Testing;

/// <summary>
/// Keeps every log entry a test server writes at or above <paramref name="minimum"/>, so tests can assert
/// on what was logged. Linked into the test projects that host a component on a real Kestrel.
/// </summary>
internal sealed class RecordingLoggerProvider(LogLevel minimum = LogLevel.Trace) : ILoggerProvider
{
    private readonly LogLevel _minimum = minimum;
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries => [.. _entries];

    /// <summary>The entries as "Level: message" lines.</summary>
    public IReadOnlyList<string> Lines => [.. _entries.Select(e => $"{e.Level}: {e.Message}")];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider._entries.Enqueue((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
