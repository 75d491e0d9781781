namespace Mpm.Monitor.Collectors.HostStats;

/// <summary>The aggregate "cpu" line of /proc/stat, in clock ticks summed over all CPUs.</summary>
internal readonly record struct CpuTimes(ulong Total, ulong Idle, int CpuCount)
{
    public static CpuTimes Parse(ReadOnlySpan<byte> procStat)
    {
        var text = procStat;
        var first = AsciiFields.NextLine(ref text);
        AsciiFields.Next(ref first); // "cpu"
        // user nice system idle iowait irq softirq steal; guest time is already inside user.
        ulong total = 0, idle = 0;
        for (var i = 0; i < 8; i++)
        {
            var value = AsciiFields.NextUInt64(ref first);
            total += value;
            if (i is 3 or 4)
            {
                idle += value;
            }
        }
        var cpus = 0;
        while (!text.IsEmpty)
        {
            var line = AsciiFields.NextLine(ref text);
            if (line.Length > 3 && line.StartsWith("cpu"u8) && char.IsAsciiDigit((char)line[3]))
            {
                cpus++;
            }
        }
        return new CpuTimes(total, idle, Math.Max(cpus, 1));
    }

    public double BusyPercentSince(CpuTimes previous)
    {
        var total = Total - previous.Total;
        return total == 0 ? 0 : (double)(total - (Idle - previous.Idle)) / total * 100.0;
    }
}
