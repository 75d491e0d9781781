using System.Text.Json.Serialization;
using Mpm.Monitor.Core.Events;

namespace Mpm.Monitor.Core.Projections;

/// <summary>One recent <c>file_operation</c>.</summary>
public sealed record FileOperationView(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("operation")] string Operation,
    [property: JsonPropertyName("agent")] string? Agent,
    [property: JsonPropertyName("tool")] string? Tool,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("session_id")] string? SessionId,
    [property: JsonPropertyName("timestamp"), JsonConverter(typeof(IsoTimestampJsonConverter))] DateTimeOffset Timestamp);
