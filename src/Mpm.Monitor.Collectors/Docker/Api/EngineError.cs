using System.Text.Json.Serialization;

namespace Mpm.Monitor.Collectors.Docker.Api;

/// <summary>The body the engine sends with an error status.</summary>
internal sealed class EngineError
{
    [JsonPropertyName("message")] public string? Message { get; set; }
}
