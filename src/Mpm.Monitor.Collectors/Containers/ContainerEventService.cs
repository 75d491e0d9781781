using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mpm.Monitor.Collectors.Docker;
using Mpm.Monitor.Collectors.Docker.Api;
using Mpm.Monitor.Collectors.Payloads;

namespace Mpm.Monitor.Collectors.Containers;

/// <summary>
/// Follows the engine's container events and publishes each as <c>container_event</c>. When the
/// engine goes away it retries with backoff (1 s doubling to 30 s) and resumes from the last event
/// it saw, so events the engine still holds are not missed; starts and deaths also open and
/// close stats streams at once instead of at the next sample.
/// </summary>
internal sealed partial class ContainerEventService(
    IOptions<CollectorOptions> options,
    DockerClient client,
    ContainerStatsSampler sampler,
    DockerStatusSource status,
    IEventSink sink,
    ILogger<ContainerEventService> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DockerEnabled)
        {
            return;
        }
        var delay = FirstRetryDelay;
        // Events at or before this engine time have been published, or came before the first connection.
        long? handledUpTo = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await client.PingAsync(stoppingToken).ConfigureAwait(false);
                status.ReportHealthy();
                delay = FirstRetryDelay;
                // Only new events on the first connection; on a reconnection, also those the
                // engine logged while we were away (it keeps recent ones).
                handledUpTo ??= DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
                await foreach (var message in client.StreamEventsAsync(handledUpTo, stoppingToken).ConfigureAwait(false))
                {
                    if (message.TimeNano <= handledUpTo)
                    {
                        continue;
                    }
                    handledUpTo = message.TimeNano;
                    await HandleAsync(message, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (DockerUnavailableException ex)
            {
                status.ReportUnavailable(ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogStreamFailed(logger, ex);
            }
            await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
        }
    }

    private async Task HandleAsync(EngineEvent message, CancellationToken cancellationToken)
    {
        if (ToPayload(message) is not { } payload)
        {
            return;
        }
        sink.Publish("container_event", payload);
        if (!options.Value.MetricsEnabled)
        {
            return;
        }
        if (payload.Action == "start")
        {
            await sampler.ContainerStartedAsync(payload.Container.Id, cancellationToken).ConfigureAwait(false);
        }
        else if (payload.Action == "die")
        {
            await sampler.ContainerStoppedAsync(payload.Container.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>"exec_start: sh -c ..." and "health_status: healthy" become "exec_start" and "health_status".</summary>
    internal static ContainerEventPayload? ToPayload(EngineEvent message)
    {
        if (message.Type != "container" || message.Actor?.Id is not { } id || string.IsNullOrEmpty(message.Action))
        {
            return null;
        }
        var colon = message.Action.IndexOf(':');
        var action = colon < 0 ? message.Action : message.Action[..colon];
        var attributes = message.Actor.Attributes;
        int? exitCode = attributes?.GetValueOrDefault("exitCode") is { } code
            && int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        return new ContainerEventPayload(
            new ContainerIdentity(id, attributes?.GetValueOrDefault("name") ?? "", attributes?.GetValueOrDefault("image") ?? ""),
            action,
            exitCode,
            DateTimeOffset.UnixEpoch.AddTicks(message.TimeNano / 100));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Docker event stream failed; reconnecting")]
    private static partial void LogStreamFailed(ILogger logger, Exception exception);
}
