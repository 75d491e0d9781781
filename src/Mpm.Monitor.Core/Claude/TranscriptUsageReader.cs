using System.Buffers;
using System.Text.Json;

namespace Mpm.Monitor.Core.Claude;

/// <summary>
/// Reads token usage from Claude Code transcripts (JSONL) incrementally: per path it remembers how
/// many bytes were consumed and the running totals, so a later read parses only appended lines.
/// </summary>
/// <remarks>
/// A file shorter than the consumed offset, or whose first bytes changed, was truncated or
/// replaced and is read again from the start. A last line without its newline is still being
/// written and is left for the next read. At most <c>maxTrackedPaths</c> transcripts are
/// remembered (least recently read evicted). Safe to call from several threads; reads of the
/// same path are serialised.
/// </remarks>
public sealed class TranscriptUsageReader
{
    private const int ChunkSize = 64 * 1024;
    private const int FingerprintLength = 256;

    private readonly int _maxTrackedPaths;
    private readonly Dictionary<string, LinkedListNode<TranscriptState>> _states = new(StringComparer.Ordinal);
    private readonly LinkedList<TranscriptState> _recency = new();
    private readonly Lock _gate = new();
    private long _bytesRead;

    public TranscriptUsageReader(int maxTrackedPaths = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrackedPaths, 1);
        _maxTrackedPaths = maxTrackedPaths;
    }

    /// <summary>Bytes read from disk since this reader was created (all paths).</summary>
    internal long BytesRead => Interlocked.Read(ref _bytesRead);

    internal int TrackedPaths { get { lock (_gate) return _states.Count; } }

    /// <summary>
    /// The usage of the transcript at <paramref name="path"/> as of now; <see cref="TranscriptUsage.Empty"/>
    /// when the file does not exist (yet).
    /// </summary>
    public async Task<TranscriptUsage> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var state = Acquire(Path.GetFullPath(path));
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(state.Path))
            {
                state.Reset();
                return TranscriptUsage.Empty;
            }
            await using var stream = new FileStream(state.Path, FileMode.Open, FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            if (stream.Length < state.Offset || !await FingerprintMatchesAsync(stream, state, cancellationToken).ConfigureAwait(false))
                state.Reset();
            if (stream.Length > state.Offset)
                await ConsumeAppendedAsync(stream, state, cancellationToken).ConfigureAwait(false);
            return state.Snapshot();
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private TranscriptState Acquire(string fullPath)
    {
        lock (_gate)
        {
            if (_states.TryGetValue(fullPath, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value;
            }
            if (_states.Count >= _maxTrackedPaths)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _states.Remove(oldest.Value.Path);
            }
            node = _recency.AddFirst(new TranscriptState(fullPath));
            _states[fullPath] = node;
            return node.Value;
        }
    }

    private async Task<bool> FingerprintMatchesAsync(FileStream stream, TranscriptState state, CancellationToken ct)
    {
        if (state.Offset == 0) return true;
        var length = state.Fingerprint.Length;
        if (stream.Length < length) return false;
        var buffer = new byte[length];
        stream.Position = 0;
        await stream.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
        Interlocked.Add(ref _bytesRead, length);
        return buffer.AsSpan().SequenceEqual(state.Fingerprint);
    }

    private async Task ConsumeAppendedAsync(FileStream stream, TranscriptState state, CancellationToken ct)
    {
        stream.Position = state.Offset;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var pending = 0; // bytes at the start of buffer that belong to an unfinished line
        try
        {
            while (true)
            {
                if (pending == buffer.Length)
                {
                    // A line longer than the buffer: grow it rather than split the line.
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, pending).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await stream.ReadAsync(buffer.AsMemory(pending), ct).ConfigureAwait(false);
                if (read == 0) break;
                Interlocked.Add(ref _bytesRead, read);
                var filled = pending + read;
                var start = 0;
                while (true)
                {
                    var newline = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n');
                    if (newline < 0) break;
                    var line = buffer.AsSpan(start, newline);
                    if (state.Offset == 0 && start == 0) state.CaptureFingerprint(buffer.AsSpan(0, filled));
                    state.Consume(line);
                    state.Offset += newline + 1;
                    start += newline + 1;
                }
                pending = filled - start;
                if (pending > 0 && start > 0) buffer.AsSpan(start, pending).CopyTo(buffer);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>What is remembered of one transcript between reads.</summary>
    private sealed class TranscriptState(string path)
    {
        private static ReadOnlySpan<byte> UsageMarker => "\"usage\""u8;

        public string Path { get; } = path;
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public long Offset { get; set; }
        public byte[] Fingerprint { get; private set; } = [];

        private long _input, _output, _cacheRead, _cacheCreation, _latestContext;
        private string? _model;
        private string? _lastMessageId;
        private (long Input, long Output, long CacheRead, long CacheCreation) _lastMessageUsage;

        public void Reset()
        {
            Offset = 0;
            Fingerprint = [];
            _input = _output = _cacheRead = _cacheCreation = _latestContext = 0;
            _model = _lastMessageId = null;
            _lastMessageUsage = default;
        }

        public void CaptureFingerprint(ReadOnlySpan<byte> head) =>
            Fingerprint = head[..Math.Min(head.Length, FingerprintLength)].ToArray();

        public void Consume(ReadOnlySpan<byte> line)
        {
            // Most lines (user turns, tool results, summaries) carry no usage: skip them unparsed.
            if (line.IndexOf(UsageMarker) < 0) return;
            try
            {
                using var document = JsonDocument.Parse(line.ToArray());
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) return;
                if (!root.TryGetProperty("type", out var type) || !type.ValueEquals("assistant")) return;
                if (!root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object) return;
                if (!message.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object) return;

                var counts = (Count(usage, "input_tokens"), Count(usage, "output_tokens"),
                    Count(usage, "cache_read_input_tokens"), Count(usage, "cache_creation_input_tokens"));
                var messageId = message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

                // Claude Code writes one line per content block of a message, each repeating the
                // message's usage: count a message once, keeping its latest figures.
                if (messageId is not null && messageId == _lastMessageId)
                    Add(_lastMessageUsage, -1);
                Add(counts, 1);
                _lastMessageId = messageId;
                _lastMessageUsage = counts;

                // Subagent turns logged in the main transcript (isSidechain) use their own context.
                var sidechain = root.TryGetProperty("isSidechain", out var side) && side.ValueKind == JsonValueKind.True;
                if (!sidechain)
                {
                    _latestContext = counts.Item1 + counts.Item2 + counts.Item3 + counts.Item4;
                    if (message.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String)
                        _model = model.GetString();
                }
            }
            catch (JsonException)
            {
                // A corrupt line is skipped; the transcript is Claude Code's, not ours to reject.
            }
        }

        public TranscriptUsage Snapshot()
        {
            var window = ModelContextWindows.For(_model, _latestContext);
            // A context past every known window (an unknown model) is reported full, not as a fraction over 1.
            return new TranscriptUsage(_latestContext, Math.Min(1, Math.Round((double)_latestContext / window, 6)), _model,
                _input, _output, _cacheRead, _cacheCreation);
        }

        private void Add((long Input, long Output, long CacheRead, long CacheCreation) c, int sign)
        {
            _input += sign * c.Input;
            _output += sign * c.Output;
            _cacheRead += sign * c.CacheRead;
            _cacheCreation += sign * c.CacheCreation;
        }

        private static long Count(JsonElement usage, string name) =>
            usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n > 0 ? n : 0;
    }
}
