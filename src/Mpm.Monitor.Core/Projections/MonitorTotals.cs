using System.Text.Json.Serialization;

namespace Mpm.Monitor.Core.Projections;

/// <summary>Counts for <c>/status</c> metrics.</summary>
public sealed record MonitorTotals(
    [property: JsonPropertyName("active_agents")] int ActiveAgents,
    [property: JsonPropertyName("agents")] int Agents,
    [property: JsonPropertyName("active_sessions")] int ActiveSessions,
    [property: JsonPropertyName("sessions")] int Sessions,
    [property: JsonPropertyName("events")] long Events,
    [property: JsonPropertyName("last_event_id")] long LastEventId);
