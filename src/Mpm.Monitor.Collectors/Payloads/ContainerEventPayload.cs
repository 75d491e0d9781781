using System.Text.Json.Serialization;

namespace Mpm.Monitor.Collectors.Payloads;

/// <summary>The data of a <c>container_event</c> event (CONTRACT §4).</summary>
public sealed record ContainerEventPayload(
    [property: JsonPropertyName("container")] ContainerIdentity Container,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("exit_code"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ExitCode,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp);

public sealed record ContainerIdentity(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("image")] string Image);
