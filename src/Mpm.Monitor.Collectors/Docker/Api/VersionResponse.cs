using System.Text.Json.Serialization;

namespace Mpm.Monitor.Collectors.Docker.Api;

/// <summary>The part of <c>GET /version</c> used to negotiate the API version.</summary>
internal sealed class VersionResponse
{
    [JsonPropertyName("ApiVersion")] public string? ApiVersion { get; set; }
}
