using System.Text.Json.Serialization;

namespace Mpm.Monitor.Collectors.Payloads;

/// <summary>The data of a <c>system_stats</c> event (CONTRACT §4). Sizes in bytes, uptime in seconds.</summary>
public sealed record SystemStatsPayload(
    [property: JsonPropertyName("cpu_percent")] double CpuPercent,
    [property: JsonPropertyName("memory_used")] ulong MemoryUsed,
    [property: JsonPropertyName("memory_total")] ulong MemoryTotal,
    [property: JsonPropertyName("disk_used")] ulong DiskUsed,
    [property: JsonPropertyName("disk_total")] ulong DiskTotal,
    [property: JsonPropertyName("uptime")] double Uptime,
    [property: JsonPropertyName("load_avg")] LoadAverage LoadAvg,
    [property: JsonPropertyName("network")] IReadOnlyList<InterfaceCounters> Network,
    [property: JsonPropertyName("top_processes")] IReadOnlyList<ProcessUsage> TopProcesses);

public sealed record LoadAverage(
    [property: JsonPropertyName("1m")] double OneMinute,
    [property: JsonPropertyName("5m")] double FiveMinutes,
    [property: JsonPropertyName("15m")] double FifteenMinutes);

public sealed record InterfaceCounters(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("bytes_sent")] ulong BytesSent,
    [property: JsonPropertyName("bytes_recv")] ulong BytesRecv);

/// <summary><c>cpu</c> in percent of one core (as top shows it), <c>mem</c> in percent of MemTotal.</summary>
public sealed record ProcessUsage(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("cpu")] double Cpu,
    [property: JsonPropertyName("mem")] double Mem);
