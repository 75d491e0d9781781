using System.Diagnostics;
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
    public void Cpu_and_top_processes_come_from_deltas_ranked_by_cpu()
    {
        var sampler = new SystemStatsSampler();
        var first = sampler.Sample();
        Assert.Equal(0, first.CpuPercent);
        Assert.All(first.TopProcesses, p => Assert.Equal(0, p.Cpu));

        Burn(TimeSpan.FromSeconds(1));

        var second = sampler.Sample();
        Assert.InRange(second.CpuPercent, 0.01, 100);
        Assert.InRange(second.TopProcesses.Count, 1, 10);
        Assert.Equal(second.TopProcesses.OrderByDescending(p => p.Cpu).Select(p => p.Cpu), second.TopProcesses.Select(p => p.Cpu));
        Assert.All(second.TopProcesses, p => Assert.False(string.IsNullOrEmpty(p.Name)));
    }

    [Fact]
    public void A_process_cpu_share_matches_what_the_runtime_measures_for_itself()
    {
        // Every process, not just the top ten: on a busy shared machine this one may not rank.
        var reader = new ProcFileReader();
        var tracker = new ProcessCpuTracker();
        var self = Process.GetCurrentProcess();
        var memTotal = new SystemStatsSampler().Sample().MemoryTotal;
        var before = CpuTimes.Parse(reader.Read("/proc/stat", out _));
        tracker.Sample(reader, 0, memTotal, int.MaxValue);
        self.Refresh();
        var cpuBefore = self.TotalProcessorTime;
        var wall = Stopwatch.StartNew();

        Burn(TimeSpan.FromSeconds(1.5));

        var after = CpuTimes.Parse(reader.Read("/proc/stat", out _));
        var all = tracker.Sample(reader, (double)(after.Total - before.Total) / after.CpuCount, memTotal, int.MaxValue);
        self.Refresh();
        var expected = (self.TotalProcessorTime - cpuBefore).TotalSeconds / wall.Elapsed.TotalSeconds * 100;

        var us = Assert.Single(all, p => p.Pid == Environment.ProcessId);
        // Same kernel counters, read a few milliseconds apart, 10 ms ticks: a few points at most.
        Assert.InRange(us.Cpu, expected - 10, expected + 10);
        Assert.True(us.Cpu > 0, $"cpu {us.Cpu}");
        // The working set moves between the two reads; 0.1 points (~24 MB here) is far below a wrong figure.
        Assert.Equal(self.WorkingSet64 * 100.0 / memTotal, us.Mem, tolerance: 0.1);
    }

    private static void Burn(TimeSpan duration)
    {
        var until = DateTime.UtcNow + duration;
        var burner = new Thread(() => { while (DateTime.UtcNow < until) { } });
        burner.Start();
        burner.Join();
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
