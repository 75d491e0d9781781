namespace Mpm.Monitor.Tests.Infrastructure;

/// <summary>Collects the lines of one output stream of a child process and lets tests await a line.</summary>
public sealed class OutputLines
{
    private readonly object _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string?> Found)> _waiters = [];
    private bool _closed;

    internal OutputLines(StreamReader reader) => Completion = PumpAsync(reader);

    /// <summary>Completes when the stream ends (the process exited and closed it).</summary>
    public Task Completion { get; }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public string Text => string.Join('\n', Lines);

    /// <summary>The first line (already seen or still to come) that matches; null if the stream ends first.</summary>
    public Task<string?> WaitForLineAsync(Func<string, bool> match)
    {
        lock (_gate)
        {
            var seen = _lines.FirstOrDefault(match);
            if (seen is not null || _closed)
            {
                return Task.FromResult(seen);
            }
            var found = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
            return found.Task;
        }
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_gate)
            {
                _lines.Add(line);
                foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Found.TrySetResult(line);
                }
            }
        }
        lock (_gate)
        {
            _closed = true;
            _waiters.ForEach(w => w.Found.TrySetResult(null));
            _waiters.Clear();
        }
    }
}
