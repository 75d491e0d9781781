using Mpm.Monitor.Collectors.Docker;
using Mpm.Monitor.Collectors.Docker.Api;

namespace Mpm.Monitor.Collectors.Containers;

/// <summary>
/// One open <c>stats?stream=true</c> connection to one running container. The engine pushes a
/// frame about every second; only the newest is kept, for the next sample to read.
/// </summary>
internal sealed class ContainerStatsStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private StatsFrame? _latest;

    public ContainerStatsStream(DockerClient client, string containerId)
    {
        _reading = ReadAsync(client, containerId, _stop.Token);
    }

    public StatsFrame? Latest => Volatile.Read(ref _latest);

    /// <summary>The engine closed the stream (container stopped, engine gone): a new one is needed.</summary>
    public bool Ended => _reading.IsCompleted;

    private async Task ReadAsync(DockerClient client, string containerId, CancellationToken cancellationToken)
    {
        // Off the caller's thread: the first frame takes a while and the caller is a sampling loop.
        await Task.Yield();
        try
        {
            await foreach (var frame in client.StreamStatsAsync(containerId, cancellationToken).ConfigureAwait(false))
            {
                Volatile.Write(ref _latest, frame);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever ended it (engine gone, container gone, a bad frame), the sampler opens a
            // new stream while the container runs; disposing this one must not throw.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reading.ConfigureAwait(false);
        _stop.Dispose();
    }
}
