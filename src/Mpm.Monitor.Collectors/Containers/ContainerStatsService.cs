using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mpm.Monitor.Collectors.Docker;

namespace Mpm.Monitor.Collectors.Containers;

/// <summary>
/// Publishes <c>container_stats</c> every <c>metrics.interval</c> while the engine answers and
/// keeps it as the latest; while it does not, reports it unavailable and tries again next interval.
/// </summary>
internal sealed partial class ContainerStatsService(
    IOptions<CollectorOptions> options,
    ContainerStatsSampler sampler,
    DockerStatusSource status,
    LatestStats latest,
    IEventSink sink,
    ILogger<ContainerStatsService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.MetricsEnabled || !options.Value.DockerEnabled)
        {
            return;
        }
        // Opens the streams at once so their first frames are in by the first tick.
        await SampleAsync(publish: false, stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(options.Value.Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await SampleAsync(publish: true, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task SampleAsync(bool publish, CancellationToken stoppingToken)
    {
        try
        {
            var payload = await sampler.SampleAsync(stoppingToken).ConfigureAwait(false);
            status.ReportHealthy();
            if (publish)
            {
                latest.Set(payload);
                sink.Publish("container_stats", payload);
            }
        }
        catch (DockerUnavailableException ex)
        {
            status.ReportUnavailable(ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSampleFailed(logger, ex);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await sampler.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "container_stats sample failed")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
