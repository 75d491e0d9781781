using Mpm.Monitor.Collectors.Docker;
using Mpm.Monitor.Collectors.Payloads;

namespace Mpm.Monitor.Collectors.Containers;

/// <summary>
/// Takes a <c>container_stats</c> sample: one <c>containers/json</c> request per sample names
/// the running containers (and their images and states), and each running container has one
/// long-lived stats stream whose newest frame is read — no request per container per sample.
/// Streams of containers that stopped are closed; new containers get one.
/// </summary>
internal sealed class ContainerStatsSampler : IAsyncDisposable
{
    private readonly DockerClient _client;
    private readonly Dictionary<string, ContainerStatsStream> _streams = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public ContainerStatsSampler(DockerClient client)
    {
        _client = client;
    }

    /// <summary>The numbers of every running container whose stream has delivered a frame.</summary>
    /// <exception cref="DockerUnavailableException">the engine cannot be reached.</exception>
    public async Task<ContainerStatsPayload> SampleAsync(CancellationToken cancellationToken)
    {
        var running = await _client.ListRunningContainersAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CloseStreamsExceptAsync(running.Select(c => c.Id).ToHashSet(StringComparer.Ordinal)).ConfigureAwait(false);
            var entries = new List<ContainerStatsEntry>(running.Length);
            foreach (var container in running)
            {
                var stream = await OpenStreamAsync(container.Id).ConfigureAwait(false);
                if (stream.Latest is { } frame)
                {
                    entries.Add(ContainerStatsCalculator.Compute(container, frame));
                }
            }
            return new ContainerStatsPayload(entries);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Opens a stream now for a container the event stream says has started, so its first frame is ready sooner.</summary>
    public async Task ContainerStartedAsync(string containerId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await OpenStreamAsync(containerId).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the stream of a container the event stream says has stopped.</summary>
    public async Task ContainerStoppedAsync(string containerId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_streams.Remove(containerId, out var stream))
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    internal int OpenStreamCount => _streams.Count;

    private async Task<ContainerStatsStream> OpenStreamAsync(string containerId)
    {
        if (_streams.TryGetValue(containerId, out var stream))
        {
            if (!stream.Ended)
            {
                return stream;
            }
            await stream.DisposeAsync().ConfigureAwait(false);
        }
        stream = new ContainerStatsStream(_client, containerId);
        _streams[containerId] = stream;
        return stream;
    }

    private async Task CloseStreamsExceptAsync(HashSet<string> running)
    {
        List<string>? gone = null;
        foreach (var id in _streams.Keys)
        {
            if (!running.Contains(id))
            {
                (gone ??= []).Add(id);
            }
        }
        foreach (var id in gone ?? [])
        {
            _streams.Remove(id, out var stream);
            await stream!.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        foreach (var stream in _streams.Values)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
        _streams.Clear();
        _gate.Release();
    }
}
