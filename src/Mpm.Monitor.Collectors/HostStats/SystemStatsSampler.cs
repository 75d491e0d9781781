using Mpm.Monitor.Collectors.Payloads;

namespace Mpm.Monitor.Collectors.HostStats;

/// <summary>
/// Takes a <c>system_stats</c> sample from /proc and statvfs. CPU figures are deltas against the
/// previous sample, so the first sample reports 0 CPU for the host and every process.
/// Not thread-safe: one sampling loop owns it.
/// </summary>
internal sealed class SystemStatsSampler
{
    private const int TopProcessCount = 10;

    private readonly ProcFileReader _reader = new();
    private readonly ProcessCpuTracker _processes = new();
    private readonly string _diskPath;
    private CpuTimes? _previousCpu;

    public SystemStatsSampler(string diskPath = "/")
    {
        _diskPath = diskPath;
    }

    public SystemStatsPayload Sample()
    {
        var cpu = CpuTimes.Parse(ReadRequired("/proc/stat"));
        var cpuPercent = _previousCpu is { } previous ? cpu.BusyPercentSince(previous) : 0;
        var elapsedTicksPerCpu = _previousCpu is { } before ? (double)(cpu.Total - before.Total) / cpu.CpuCount : 0;
        _previousCpu = cpu;

        var (memoryTotal, memoryAvailable) = ReadMemory();
        var disk = new DriveInfo(_diskPath);
        var diskTotal = (ulong)disk.TotalSize;
        var uptime = ReadUptime();
        var load = ReadLoadAverage();
        var network = ReadNetwork();
        var top = _processes.Sample(_reader, elapsedTicksPerCpu, memoryTotal, TopProcessCount);

        return new SystemStatsPayload(
            Math.Round(cpuPercent, 2),
            memoryTotal - Math.Min(memoryAvailable, memoryTotal),
            memoryTotal,
            diskTotal - (ulong)disk.TotalFreeSpace,
            diskTotal,
            uptime,
            load,
            network,
            top);
    }

    private ReadOnlySpan<byte> ReadRequired(string path)
    {
        var bytes = _reader.Read(path, out var exists);
        return exists ? bytes : throw new FileNotFoundException($"{path} is missing: system_stats needs Linux /proc", path);
    }

    private (ulong Total, ulong Available) ReadMemory()
    {
        var text = ReadRequired("/proc/meminfo");
        ulong total = 0, available = 0;
        while (!text.IsEmpty && (total == 0 || available == 0))
        {
            var line = AsciiFields.NextLine(ref text);
            var key = AsciiFields.Next(ref line);
            if (key.SequenceEqual("MemTotal:"u8))
            {
                total = AsciiFields.NextUInt64(ref line) * 1024;
            }
            else if (key.SequenceEqual("MemAvailable:"u8))
            {
                available = AsciiFields.NextUInt64(ref line) * 1024;
            }
        }
        return (total, available);
    }

    private double ReadUptime()
    {
        var text = ReadRequired("/proc/uptime");
        return AsciiFields.NextDouble(ref text);
    }

    private LoadAverage ReadLoadAverage()
    {
        var text = ReadRequired("/proc/loadavg");
        return new LoadAverage(AsciiFields.NextDouble(ref text), AsciiFields.NextDouble(ref text), AsciiFields.NextDouble(ref text));
    }

    /// <summary>/proc/net/dev: two header lines, then "name: rx_bytes rx_packets ... (8 receive fields) tx_bytes ...".</summary>
    private List<InterfaceCounters> ReadNetwork()
    {
        var text = ReadRequired("/proc/net/dev");
        AsciiFields.NextLine(ref text);
        AsciiFields.NextLine(ref text);
        var interfaces = new List<InterfaceCounters>();
        while (!text.IsEmpty)
        {
            var line = AsciiFields.NextLine(ref text);
            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                continue;
            }
            var name = System.Text.Encoding.ASCII.GetString(line[..colon].Trim((byte)' '));
            var counters = line[(colon + 1)..];
            var received = AsciiFields.NextUInt64(ref counters);
            AsciiFields.Skip(ref counters, 7);
            var sent = AsciiFields.NextUInt64(ref counters);
            interfaces.Add(new InterfaceCounters(name, sent, received));
        }
        return interfaces;
    }
}
