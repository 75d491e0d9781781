using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Mpm.Monitor.Collectors.Docker;
using Mpm.Monitor.Collectors.Docker.Api;

namespace Mpm.Monitor.Collectors.Containers;

/// <summary>
/// One open <c>stats?stream=true</c> connection to one running container. The engine pushes a
/// newline-terminated JSON frame about every second; only the newest frame's bytes are kept, and
/// they are parsed when a sample asks for them — at a 5 s interval four of five frames are never
/// parsed.
/// </summary>
internal sealed class ContainerStatsStream : IAsyncDisposable
{
    // A frame is about 2-3 KB; anything far larger without a newline is not a stats stream.
    private const int MaxFrameLength = 1024 * 1024;

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _reading;
    private byte[] _frame = new byte[4096];
    private int _frameLength;
    private long _frameVersion;
    private StatsFrame? _parsed;
    private long _parsedVersion;

    public ContainerStatsStream(DockerClient client, string containerId)
    {
        _reading = ReadAsync(client, containerId, _stop.Token);
    }

    /// <summary>The newest frame, or null before the first one (or when it is not valid JSON).</summary>
    public StatsFrame? Latest
    {
        get
        {
            lock (_gate)
            {
                if (_parsedVersion != _frameVersion)
                {
                    _parsedVersion = _frameVersion;
                    try
                    {
                        _parsed = JsonSerializer.Deserialize(_frame.AsSpan(0, _frameLength), DockerJsonContext.Default.StatsFrame);
                    }
                    catch (JsonException)
                    {
                        _parsed = null;
                    }
                }
                return _parsed;
            }
        }
    }

    /// <summary>The engine closed the stream (container stopped, engine gone): a new one is needed.</summary>
    public bool Ended => _reading.IsCompleted;

    private async Task ReadAsync(DockerClient client, string containerId, CancellationToken cancellationToken)
    {
        // Off the caller's thread: the first frame takes a while and the caller is a sampling loop.
        await Task.Yield();
        try
        {
            using var response = await client.OpenStatsStreamAsync(containerId, cancellationToken).ConfigureAwait(false);
            var reader = PipeReader.Create(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            try
            {
                while (true)
                {
                    var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    var consumed = KeepNewestFrame(result.Buffer);
                    reader.AdvanceTo(consumed, result.Buffer.End);
                    if (result.IsCompleted || result.Buffer.Slice(consumed).Length > MaxFrameLength)
                    {
                        break;
                    }
                }
            }
            finally
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Cancelled by DisposeAsync, or ended by the engine (container or engine gone): either
            // way the sampler opens a new stream while the container runs, and disposing must not throw.
        }
    }

    private SequencePosition KeepNewestFrame(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        ReadOnlySequence<byte> newest = default;
        var found = false;
        while (reader.TryReadTo(out ReadOnlySequence<byte> frame, (byte)'\n'))
        {
            if (frame.Length > 0)
            {
                newest = frame;
                found = true;
            }
        }
        if (found)
        {
            lock (_gate)
            {
                if (newest.Length > _frame.Length)
                {
                    _frame = new byte[Math.Max((int)newest.Length, _frame.Length * 2)];
                }
                newest.CopyTo(_frame);
                _frameLength = (int)newest.Length;
                _frameVersion++;
            }
        }
        return reader.Position;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reading.ConfigureAwait(false);
        _stop.Dispose();
    }
}
