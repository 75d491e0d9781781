using System.Text.Json.Serialization;

namespace Mpm.Monitor.Collectors.Docker.Api;

/// <summary>
/// One frame of <c>GET /containers/{id}/stats</c>, only the fields <c>docker stats</c> uses;
/// everything else in the frame is skipped by the deserializer.
/// </summary>
internal sealed class StatsFrame
{
    [JsonPropertyName("read")] public DateTimeOffset Read { get; set; }
    [JsonPropertyName("cpu_stats")] public CpuStats? CpuStats { get; set; }
    [JsonPropertyName("precpu_stats")] public CpuStats? PreCpuStats { get; set; }
    [JsonPropertyName("memory_stats")] public MemoryStats? MemoryStats { get; set; }
    [JsonPropertyName("networks")] public Dictionary<string, NetworkStats>? Networks { get; set; }
    [JsonPropertyName("blkio_stats")] public BlkioStats? BlkioStats { get; set; }
    [JsonPropertyName("pids_stats")] public PidsStats? PidsStats { get; set; }
}

internal sealed class CpuStats
{
    [JsonPropertyName("cpu_usage")] public CpuUsage? CpuUsage { get; set; }
    [JsonPropertyName("system_cpu_usage")] public ulong SystemCpuUsage { get; set; }
    [JsonPropertyName("online_cpus")] public uint OnlineCpus { get; set; }
}

internal sealed class CpuUsage
{
    [JsonPropertyName("total_usage")] public ulong TotalUsage { get; set; }
    [JsonPropertyName("percpu_usage")] public ulong[]? PercpuUsage { get; set; }
}

internal sealed class MemoryStats
{
    [JsonPropertyName("usage")] public ulong Usage { get; set; }
    [JsonPropertyName("limit")] public ulong Limit { get; set; }
    [JsonPropertyName("stats")] public MemoryStatDetails? Stats { get; set; }
}

/// <summary>cgroup v1 reports <c>total_inactive_file</c>, cgroup v2 <c>inactive_file</c>.</summary>
internal sealed class MemoryStatDetails
{
    [JsonPropertyName("total_inactive_file")] public ulong? TotalInactiveFile { get; set; }
    [JsonPropertyName("inactive_file")] public ulong? InactiveFile { get; set; }
}

internal sealed class NetworkStats
{
    [JsonPropertyName("rx_bytes")] public ulong RxBytes { get; set; }
    [JsonPropertyName("tx_bytes")] public ulong TxBytes { get; set; }
}

internal sealed class BlkioStats
{
    [JsonPropertyName("io_service_bytes_recursive")] public BlkioEntry[]? IoServiceBytesRecursive { get; set; }
}

internal sealed class BlkioEntry
{
    [JsonPropertyName("op")] public string? Op { get; set; }
    [JsonPropertyName("value")] public ulong Value { get; set; }
}

internal sealed class PidsStats
{
    [JsonPropertyName("current")] public ulong Current { get; set; }
}
