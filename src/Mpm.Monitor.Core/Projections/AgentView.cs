using System.Text.Json.Serialization;
using Mpm.Monitor.Core.Events;

namespace Mpm.Monitor.Core.Projections;

/// <summary>One agent as <c>GET /agents</c> and <c>get_state</c> show it.</summary>
public sealed record AgentView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("invocations")] long Invocations,
    [property: JsonPropertyName("last_seen"), JsonConverter(typeof(IsoTimestampJsonConverter))] DateTimeOffset LastSeen,
    [property: JsonPropertyName("current_task")] string? CurrentTask,
    [property: JsonPropertyName("session_id")] string? SessionId);
