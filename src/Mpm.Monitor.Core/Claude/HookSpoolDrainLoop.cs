using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mpm.Monitor.Core.Claude;

/// <summary>
/// Drains the hook spool when the monitor starts and then every <c>interval</c> while it runs
/// (CONTRACT §5: inputs spooled while the monitor was down, or while it was too slow to answer,
/// reach it without anyone asking).
/// </summary>
/// <remarks>
/// A failed drain (the store refused, the disk failed) is logged and retried on the next tick; the
/// input it stopped at stays in the spool, so retrying is safe (see <see cref="HookSpoolDrainer"/>).
/// </remarks>
public sealed partial class HookSpoolDrainLoop(
    HookSpoolDrainer drainer,
    Func<SpooledHook, CancellationToken, Task> deliver,
    TimeSpan interval,
    ILogger<HookSpoolDrainLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                try
                {
                    var delivered = await drainer.DrainAsync(deliver, stoppingToken).ConfigureAwait(false);
                    if (delivered > 0) LogDrained(delivered);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogDrainFailed(e, interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The monitor is stopping; what is left in the spool waits for its next start.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {Count} spooled hook inputs")]
    private partial void LogDrained(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draining the hook spool failed; retrying in {Interval}")]
    private partial void LogDrainFailed(Exception exception, TimeSpan interval);
}
