using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mpm.Monitor.Core.Pipeline;

namespace Mpm.Monitor.Core.Hosting;

/// <summary>
/// Opens the store and rebuilds the projections before the server takes requests, prunes old events
/// in the background, and at shutdown stores whatever is still queued before closing the store.
/// </summary>
internal sealed partial class EventPipelineHostedService : IHostedService, IAsyncDisposable
{
    private readonly EventPipeline _pipeline;
    private readonly IServiceProvider _services;
    private readonly MonitorCoreOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _retention = Task.CompletedTask;

    public EventPipelineHostedService(EventPipeline pipeline, IServiceProvider services, IOptions<MonitorCoreOptions> options, TimeProvider clock, ILogger<EventPipelineHostedService> logger)
    {
        _pipeline = pipeline;
        _services = services;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Broadcasters are resolved now, not injected, so that they may depend on the pipeline.
        await _pipeline.StartAsync(_services.GetServices<IEventBroadcaster>(), cancellationToken);
        if (_options.RetentionDays > 0)
        {
            _retention = PruneLoopAsync(_stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retention;
        await _pipeline.StopAsync(cancellationToken);
        await _pipeline.Store.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        await _pipeline.Store.DisposeAsync();
    }

    private async Task PruneLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.RetentionInterval, _clock);
        do
        {
            try
            {
                var cutoff = _clock.GetUtcNow() - TimeSpan.FromDays(_options.RetentionDays);
                long pruned = await _pipeline.Store.PruneAsync(cutoff, cancellationToken);
                LogPruned(pruned, _options.RetentionDays);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogPruneFailed(e);
            }

            try
            {
                if (!await timer.WaitForNextTickAsync(cancellationToken))
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        while (true);
    }

    [LoggerMessage(1, LogLevel.Debug, "Retention pruned {Count} events older than {Days} days")]
    private partial void LogPruned(long count, int days);

    [LoggerMessage(2, LogLevel.Warning, "Retention pruning failed; retrying at the next interval")]
    private partial void LogPruneFailed(Exception exception);
}
