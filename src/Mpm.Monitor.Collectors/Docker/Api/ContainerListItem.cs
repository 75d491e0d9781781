using System.Text.Json.Serialization;

namespace Mpm.Monitor.Collectors.Docker.Api;

/// <summary>One entry of <c>GET /containers/json</c>.</summary>
internal sealed class ContainerListItem
{
    [JsonPropertyName("Id")] public string Id { get; set; } = "";
    [JsonPropertyName("Names")] public string[]? Names { get; set; }
    [JsonPropertyName("Image")] public string? Image { get; set; }
    [JsonPropertyName("State")] public string? State { get; set; }
    [JsonPropertyName("Status")] public string? Status { get; set; }

    /// <summary>The first name without the leading slash the engine puts on it.</summary>
    public string Name => Names is { Length: > 0 } names ? names[0].TrimStart('/') : Id[..Math.Min(12, Id.Length)];
}
