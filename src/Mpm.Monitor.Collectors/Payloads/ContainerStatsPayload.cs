using System.Text.Json.Serialization;

namespace Mpm.Monitor.Collectors.Payloads;

/// <summary>The data of a <c>container_stats</c> event (CONTRACT §4).</summary>
public sealed record ContainerStatsPayload(
    [property: JsonPropertyName("containers")] IReadOnlyList<ContainerStatsEntry> Containers);

/// <summary>One container's numbers, computed as <c>docker stats</c> computes them.</summary>
public sealed record ContainerStatsEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("cpu_percent")] double CpuPercent,
    [property: JsonPropertyName("memory_usage")] ulong MemoryUsage,
    [property: JsonPropertyName("memory_limit")] ulong MemoryLimit,
    [property: JsonPropertyName("memory_percent")] double MemoryPercent,
    [property: JsonPropertyName("network")] NetworkBytes Network,
    [property: JsonPropertyName("block_read")] ulong BlockRead,
    [property: JsonPropertyName("block_write")] ulong BlockWrite,
    [property: JsonPropertyName("pids")] ulong Pids);

public sealed record NetworkBytes(
    [property: JsonPropertyName("rx_bytes")] ulong RxBytes,
    [property: JsonPropertyName("tx_bytes")] ulong TxBytes);
