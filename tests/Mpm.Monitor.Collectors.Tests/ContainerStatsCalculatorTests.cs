using System.Text.Json;
using Mpm.Monitor.Collectors.Containers;
using Mpm.Monitor.Collectors.Docker;
using Mpm.Monitor.Collectors.Docker.Api;

namespace Mpm.Monitor.Collectors.Tests;

/// <summary>
/// The docker CLI's arithmetic on frames this engine does not produce (cgroup v2, block I/O,
/// several networks, several CPUs): the machine runs cgroup v1 containers without disks or networks.
/// </summary>
public sealed class ContainerStatsCalculatorTests
{
    private static readonly ContainerListItem Container = new() { Id = "abc", Names = ["/web"], Image = "nginx", State = "running" };

    private static StatsFrame Frame(string json) => JsonSerializer.Deserialize(json, DockerJsonContext.Default.StatsFrame)!;

    [Fact]
    public void Cpu_is_the_container_share_of_host_time_times_online_cpus_and_not_clamped()
    {
        var frame = Frame("""
            {"cpu_stats":{"cpu_usage":{"total_usage":3000000000},"system_cpu_usage":104000000000,"online_cpus":4},
             "precpu_stats":{"cpu_usage":{"total_usage":0},"system_cpu_usage":100000000000}}
            """);
        // 3 s of CPU over 4 s of host time summed over 4 CPUs (1 s wall): 300 %.
        Assert.Equal(300, ContainerStatsCalculator.CpuPercent(frame), 9);
    }

    [Fact]
    public void Cpu_falls_back_to_the_per_cpu_count_and_is_zero_without_a_system_delta()
    {
        var perCpu = Frame("""
            {"cpu_stats":{"cpu_usage":{"total_usage":500,"percpu_usage":[1,2]},"system_cpu_usage":2000},
             "precpu_stats":{"cpu_usage":{"total_usage":0},"system_cpu_usage":1000}}
            """);
        Assert.Equal(100, ContainerStatsCalculator.CpuPercent(perCpu), 9);
        var noDelta = Frame("""
            {"cpu_stats":{"cpu_usage":{"total_usage":500},"system_cpu_usage":1000,"online_cpus":2},
             "precpu_stats":{"cpu_usage":{"total_usage":0},"system_cpu_usage":1000}}
            """);
        Assert.Equal(0, ContainerStatsCalculator.CpuPercent(noDelta));
    }

    [Theory]
    [InlineData("""{"usage":1000,"stats":{"total_inactive_file":300,"inactive_file":100}}""", 700)] // cgroup v1
    [InlineData("""{"usage":1000,"stats":{"inactive_file":100}}""", 900)]                           // cgroup v2
    [InlineData("""{"usage":1000,"stats":{"inactive_file":5000}}""", 1000)]                         // more cache than usage: raw
    [InlineData("""{"usage":1000}""", 1000)]
    public void Memory_usage_excludes_inactive_file_cache(string memory, ulong expected)
    {
        var frame = Frame($$"""{"memory_stats":{{memory}}}""");
        Assert.Equal(expected, ContainerStatsCalculator.MemoryUsageWithoutCache(frame.MemoryStats!));
    }

    [Fact]
    public void Networks_are_summed_and_block_io_ops_matched_without_case()
    {
        var frame = Frame("""
            {"memory_stats":{"usage":512,"limit":2048},
             "networks":{"eth0":{"rx_bytes":10,"tx_bytes":20},"eth1":{"rx_bytes":1,"tx_bytes":2}},
             "blkio_stats":{"io_service_bytes_recursive":[
               {"major":8,"minor":0,"op":"Read","value":100},{"major":8,"minor":0,"op":"Write","value":7},
               {"major":8,"minor":16,"op":"read","value":5},{"major":8,"minor":16,"op":"write","value":3},
               {"major":8,"minor":16,"op":"Total","value":115}]},
             "pids_stats":{"current":4}}
            """);
        var entry = ContainerStatsCalculator.Compute(Container, frame);
        Assert.Equal(("abc", "web", "nginx", "running"), (entry.Id, entry.Name, entry.Image, entry.Status));
        Assert.Equal((11UL, 22UL), (entry.Network.RxBytes, entry.Network.TxBytes));
        Assert.Equal((105UL, 10UL), (entry.BlockRead, entry.BlockWrite));
        Assert.Equal(4UL, entry.Pids);
        Assert.Equal(25.0, entry.MemoryPercent, 9);
    }

    [Fact]
    public void Payload_serialises_with_the_contract_names()
    {
        var frame = Frame("""{"memory_stats":{"usage":1,"limit":2}}""");
        var json = JsonSerializer.Serialize(new Payloads.ContainerStatsPayload([ContainerStatsCalculator.Compute(Container, frame)]));
        Assert.Equal(
            """{"containers":[{"id":"abc","name":"web","image":"nginx","status":"running","cpu_percent":0,"memory_usage":1,"memory_limit":2,"memory_percent":50,"network":{"rx_bytes":0,"tx_bytes":0},"block_read":0,"block_write":0,"pids":0}]}""",
            json);
    }
}
