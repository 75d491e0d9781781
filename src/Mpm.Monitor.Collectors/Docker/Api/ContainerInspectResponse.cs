using System.Text.Json.Serialization;

namespace Mpm.Monitor.Collectors.Docker.Api;

/// <summary>The part of <c>GET /containers/{id}/json</c> needed to read logs.</summary>
internal sealed class ContainerInspectResponse
{
    [JsonPropertyName("Id")] public string Id { get; set; } = "";
    [JsonPropertyName("Config")] public ContainerConfig? Config { get; set; }

    internal sealed class ContainerConfig
    {
        [JsonPropertyName("Tty")] public bool Tty { get; set; }
    }
}
