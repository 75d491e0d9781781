using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Mpm.Monitor.Collectors;
using Mpm.Monitor.Configuration;
using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Pipeline;
using Mpm.Monitor.Core.Storage;
using Mpm.Monitor.Hosting;
using Mpm.Monitor.SocketIO;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Mpm.Monitor.Realtime;

/// <summary>
/// Builds the <c>get_state</c> reply (CONTRACT §6): server, projections, latest stats, the
/// connection's subscriptions and recent events, the stored events written verbatim.
/// </summary>
internal sealed class StateReply(
    EventPipeline pipeline,
    LatestStats stats,
    SocketIOServer io,
    MonitorUptime uptime,
    TimeProvider clock,
    IOptions<MonitoringOptions> monitoring,
    IOptions<HttpJsonOptions> json)
{
    /// <summary>Events shown without <c>since</c>: the newest this many the connection is subscribed to.</summary>
    public const int RecentCount = 100;

    private static readonly string Version =
        typeof(StateReply).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public async Task<byte[]> BuildAsync(Subscriptions subscriptions, long? since, CancellationToken cancellationToken)
    {
        // Read no further than what is broadcast, so last_event_id and recent_events agree with the live stream.
        var last = pipeline.LastEventId;
        var events = since is long after
            ? await ReadAfterAsync(after, last, cancellationToken)
            : await ReadRecentAsync(subscriptions, last, cancellationToken);
        var options = json.Value.SerializerOptions;
        var elapsed = uptime.Elapsed;
        return ClientReply.Build(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("server"u8);
            writer.WriteString("version"u8, Version);
            writer.WriteString("host"u8, monitoring.Value.HostLabel);
            writer.WriteNumber("uptime"u8, (long)elapsed.TotalSeconds);
            writer.WriteNumber("connections"u8, io.Sockets.SocketCount);
            writer.WriteString("started_at"u8, IsoTime(clock.GetUtcNow() - elapsed));
            writer.WriteNumber("pid"u8, Environment.ProcessId);
            writer.WriteEndObject();
            writer.WritePropertyName("agents"u8);
            JsonSerializer.Serialize(writer, pipeline.State.GetAgents(), options);
            writer.WritePropertyName("sessions"u8);
            JsonSerializer.Serialize(writer, pipeline.State.GetSessions(), options);
            writer.WriteStartArray("recent_events"u8);
            foreach (var e in events)
                writer.WriteRawValue(e.Payload.Span, skipInputValidation: true);
            writer.WriteEndArray();
            writer.WritePropertyName("containers"u8);
            JsonSerializer.Serialize(writer, stats.ContainersSnapshot(), options);
            writer.WritePropertyName("system"u8);
            if (stats.System is { } system)
                JsonSerializer.Serialize(writer, system, options);
            else
                writer.WriteNullValue();
            subscriptions.WriteProperties(writer);
            writer.WriteNumber("last_event_id"u8, last);
            writer.WriteEndObject();
        });
    }

    private async Task<List<StoredEvent>> ReadAfterAsync(long after, long last, CancellationToken cancellationToken)
    {
        var page = await pipeline.Store.ReadAsync(new EventQuery(after, Limit: EventQuery.MaxLimit), cancellationToken);
        return page.Where(e => e.Id <= last).ToList();
    }

    private async Task<List<StoredEvent>> ReadRecentAsync(Subscriptions subscriptions, long last, CancellationToken cancellationToken)
    {
        // The store reads forwards only: look at the newest MaxLimit events (of the subscribed types when
        // the set is explicit) and keep the newest RecentCount the connection wants.
        var query = new EventQuery(Math.Max(0, last - EventQuery.MaxLimit), Types: subscriptions.ExplicitNames, Limit: EventQuery.MaxLimit);
        if (query.Types is { Count: 0 })
            return [];
        var page = await pipeline.Store.ReadAsync(query, cancellationToken);
        var wanted = page.Where(e => e.Id <= last && subscriptions.Wants(e.Type)).ToList();
        return wanted.Count > RecentCount ? wanted[^RecentCount..] : wanted;
    }

    private static string IsoTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
