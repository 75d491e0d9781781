using System.Globalization;
using Mpm.Monitor.Collectors.HostStats;

namespace Mpm.Monitor.Collectors.Tests;

/// <summary>system_stats against what /proc and statvfs say at the same moment.</summary>
public sealed class SystemStatsTests
{
    [Fact]
    public void Memory_uptime_load_and_disk_match_the_kernel()
    {
        var sample = new SystemStatsSampler().Sample();

        var meminfo = File.ReadAllLines("/proc/meminfo").ToDictionary(l => l.Split(':')[0], l => ulong.Parse(l.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
        Assert.Equal(meminfo["MemTotal"] * 1024, sample.MemoryTotal);
        // MemAvailable moves as the machine works; a few hundred MB covers the other builds running.
        Assert.InRange((double)sample.MemoryUsed, (meminfo["MemTotal"] - meminfo["MemAvailable"]) * 1024.0 - 512e6, (meminfo["MemTotal"] - meminfo["MemAvailable"]) * 1024.0 + 512e6);

        var uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.InRange(sample.Uptime, uptime - 5, uptime + 0.01);

        Assert.InRange(sample.LoadAvg.OneMinute, 0, 1000);
        Assert.InRange(sample.LoadAvg.FifteenMinutes, 0, 1000);

        var root = new DriveInfo("/");
        Assert.Equal((ulong)root.TotalSize, sample.DiskTotal);
        Assert.InRange(sample.DiskUsed, 1UL, sample.DiskTotal);

        Assert.Contains(sample.Network, n => n.Name == "lo");
    }

    [Fact]
    public void Network_counters_follow_proc_net_dev()
    {
        var sample = new SystemStatsSampler().Sample();
        var lo = sample.Network.Single(n => n.Name == "lo");
        var line = File.ReadAllLines("/proc/net/dev").Single(l => l.TrimStart().StartsWith("lo:", StringComparison.Ordinal));
        var fields = line.Split(':')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ulong.Parse).ToArray();
        // Loopback traffic of other tests may land between the two reads, never before the first.
        Assert.InRange(fields[0], lo.BytesRecv, lo.BytesRecv + 100_000_000);
        Assert.InRange(fields[8], lo.BytesSent, lo.BytesSent + 100_000_000);
    }

    [Fact]
    public void Cpu_and_top_processes_come_from_deltas_and_find_a_busy_process()
    {
        var sampler = new SystemStatsSampler();
        var first = sampler.Sample();
        Assert.Equal(0, first.CpuPercent);
        Assert.All(first.TopProcesses, p => Assert.Equal(0, p.Cpu));

        // Burn one thread of this process until the tick counters have visibly moved.
        var self = Environment.ProcessId;
        var until = DateTime.UtcNow.AddSeconds(1.5);
        var burner = new Thread(() => { while (DateTime.UtcNow < until) { } });
        burner.Start();
        burner.Join();

        var second = sampler.Sample();
        Assert.InRange(second.CpuPercent, 1, 100);
        Assert.InRange(second.TopProcesses.Count, 1, 10);
        Assert.Equal(second.TopProcesses.OrderByDescending(p => p.Cpu).Select(p => p.Cpu), second.TopProcesses.Select(p => p.Cpu));
        var us = Assert.Single(second.TopProcesses, p => p.Pid == self);
        Assert.InRange(us.Cpu, 5, 100.0 * Environment.ProcessorCount);
        Assert.InRange(us.Mem, 0.001, 100);
        Assert.False(string.IsNullOrEmpty(us.Name));
    }

    [Fact]
    public void Payload_serialises_with_the_contract_names()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new SystemStatsSampler().Sample());
        foreach (var name in new[] { "cpu_percent", "memory_used", "memory_total", "disk_used", "disk_total", "uptime", "\"load_avg\":{\"1m\"", "\"5m\"", "\"15m\"", "\"network\":[{\"name\"", "bytes_sent", "bytes_recv", "\"top_processes\":[{\"name\"", "\"pid\"", "\"cpu\"", "\"mem\"" })
        {
            Assert.Contains(name, json);
        }
    }
}
