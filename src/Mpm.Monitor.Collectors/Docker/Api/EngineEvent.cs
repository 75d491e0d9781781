using System.Text.Json.Serialization;

namespace Mpm.Monitor.Collectors.Docker.Api;

/// <summary>One message of <c>GET /events</c>.</summary>
internal sealed class EngineEvent
{
    [JsonPropertyName("Type")] public string? Type { get; set; }
    [JsonPropertyName("Action")] public string? Action { get; set; }
    [JsonPropertyName("Actor")] public EventActor? Actor { get; set; }
    [JsonPropertyName("timeNano")] public long TimeNano { get; set; }

    internal sealed class EventActor
    {
        [JsonPropertyName("ID")] public string? Id { get; set; }
        [JsonPropertyName("Attributes")] public Dictionary<string, string>? Attributes { get; set; }
    }
}
