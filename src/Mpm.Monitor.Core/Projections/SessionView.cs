using System.Text.Json.Serialization;
using Mpm.Monitor.Core.Events;

namespace Mpm.Monitor.Core.Projections;

/// <summary>One session as <c>GET /api/sessions</c> and <c>get_state</c> show it.</summary>
public sealed record SessionView(
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("token_usage")] long TokenUsage,
    [property: JsonPropertyName("context_percentage")] double ContextPercentage,
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("agents")] IReadOnlyList<string> Agents,
    [property: JsonPropertyName("started_at"), JsonConverter(typeof(IsoTimestampJsonConverter))] DateTimeOffset StartedAt,
    [property: JsonPropertyName("last_seen"), JsonConverter(typeof(IsoTimestampJsonConverter))] DateTimeOffset LastSeen,
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("cache_read_tokens")] long CacheReadTokens,
    [property: JsonPropertyName("cache_creation_tokens")] long CacheCreationTokens,
    [property: JsonPropertyName("events")] long Events);
