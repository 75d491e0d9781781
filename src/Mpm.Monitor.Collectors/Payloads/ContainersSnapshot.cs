using System.Text.Json.Serialization;

namespace Mpm.Monitor.Collectors.Payloads;

/// <summary>The latest <c>container_stats</c> payload plus the engine's status ("healthy", "unavailable", "disabled").</summary>
public sealed record ContainersSnapshot(
    [property: JsonPropertyName("containers")] IReadOnlyList<ContainerStatsEntry> Containers,
    [property: JsonPropertyName("docker")] string Docker);
