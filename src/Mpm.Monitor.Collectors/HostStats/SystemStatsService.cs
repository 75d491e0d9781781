using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mpm.Monitor.Collectors.HostStats;

/// <summary>Publishes <c>system_stats</c> every <c>metrics.interval</c> and keeps it as the latest.</summary>
internal sealed partial class SystemStatsService(
    IOptions<CollectorOptions> options, LatestStats latest, IEventSink sink, ILogger<SystemStatsService> logger) : BackgroundService
{
    // The first CPU figures need a previous reading; this one comes soon after start, not an interval later.
    private static readonly TimeSpan FirstSampleDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.MetricsEnabled)
        {
            return;
        }
        var sampler = new SystemStatsSampler();
        var interval = options.Value.Interval;
        Sample(sampler, publish: false);
        try
        {
            await Task.Delay(interval < FirstSampleDelay ? interval : FirstSampleDelay, stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(interval);
            do
            {
                Sample(sampler, publish: true);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping, also when the host stops right after starting (a port already in use).
        }
    }

    private void Sample(SystemStatsSampler sampler, bool publish)
    {
        try
        {
            var payload = sampler.Sample();
            if (publish)
            {
                latest.Set(payload);
                sink.Publish("system_stats", payload);
            }
        }
        catch (Exception ex)
        {
            // A failed sample (no /proc, a disk gone) must not stop the host; the next one may work.
            LogSampleFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "system_stats sample failed")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
