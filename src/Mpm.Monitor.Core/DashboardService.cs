using System.Text.Json;
using Microsoft.Extensions.Logging;
using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Pipeline;

namespace Mpm.Monitor.Core;

/// <summary>
/// The in-process way to publish monitor events (CONTRACT §4), e.g.
/// <c>dashboard.Emit("custom_event", new { message = "..." })</c>. <c>data</c> is serialised with
/// snake_case property names (<c>CpuPercent</c> becomes <c>cpu_percent</c>); a <see cref="JsonElement"/>
/// is taken as it is.
/// </summary>
public sealed partial class DashboardService
{
    private static readonly JsonSerializerOptions DataOptions = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private readonly EventPipeline _pipeline;
    private readonly ILogger _logger;

    public DashboardService(EventPipeline pipeline, ILogger<DashboardService> logger)
    {
        _pipeline = pipeline;
        _logger = logger;
    }

    /// <summary>Publishes without waiting; failures are logged, never thrown at the caller.</summary>
    public void Emit(string eventName, object data)
    {
        Task<long> emitting;
        try
        {
            emitting = EmitAsync(eventName, data);
        }
        catch (Exception e)
        {
            LogEmitFailed(e, eventName);
            return;
        }

        if (!emitting.IsCompletedSuccessfully)
        {
            emitting.ContinueWith(
                (t, name) => LogEmitFailed(t.Exception!.InnerException!, (string)name!),
                eventName,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Completes when the event is stored; returns its id. Throws <see cref="EventRejectedException"/>
    /// for a bad name or data.
    /// </summary>
    public async Task<long> EmitAsync(string eventName, object data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        JsonElement element;
        try
        {
            element = data is JsonElement given ? given : JsonSerializer.SerializeToElement(data, data.GetType(), DataOptions);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new EventRejectedException(EventRejection.Invalid, $"data of event \"{eventName}\" cannot be serialised to JSON: {e.Message}");
        }

        var stored = await _pipeline.PublishAsync(eventName, element, cancellationToken);
        return stored.Id;
    }

    [LoggerMessage(1, LogLevel.Warning, "Emitting event {EventName} failed")]
    private partial void LogEmitFailed(Exception exception, string eventName);
}
