using Mpm.Monitor.Collectors.Docker.Api;
using Mpm.Monitor.Collectors.Payloads;

namespace Mpm.Monitor.Collectors.Containers;

/// <summary>The arithmetic of the docker CLI's <c>docker stats</c> (cli/command/container/stats_helpers.go), Linux containers.</summary>
internal static class ContainerStatsCalculator
{
    public static ContainerStatsEntry Compute(ContainerListItem container, StatsFrame frame)
    {
        var memory = frame.MemoryStats;
        var usage = memory is null ? 0 : MemoryUsageWithoutCache(memory);
        var limit = memory?.Limit ?? 0;
        ulong rx = 0, tx = 0;
        if (frame.Networks is { } networks)
        {
            foreach (var network in networks.Values)
            {
                rx += network.RxBytes;
                tx += network.TxBytes;
            }
        }
        var (read, write) = BlockIo(frame.BlkioStats);
        return new ContainerStatsEntry(
            container.Id,
            container.Name,
            container.Image ?? "",
            container.State ?? "running",
            CpuPercent(frame),
            usage,
            limit,
            limit == 0 ? 0 : (double)usage / limit * 100.0,
            new NetworkBytes(rx, tx),
            read,
            write,
            frame.PidsStats?.Current ?? 0);
    }

    /// <summary>Container CPU time over host CPU time between the two readings in the frame, times online CPUs; not clamped.</summary>
    public static double CpuPercent(StatsFrame frame)
    {
        var current = frame.CpuStats;
        var previous = frame.PreCpuStats;
        if (current?.CpuUsage is null)
        {
            return 0;
        }
        var cpuDelta = (double)current.CpuUsage.TotalUsage - (previous?.CpuUsage?.TotalUsage ?? 0);
        var systemDelta = (double)current.SystemCpuUsage - (previous?.SystemCpuUsage ?? 0);
        double onlineCpus = current.OnlineCpus;
        if (onlineCpus == 0)
        {
            onlineCpus = current.CpuUsage.PercpuUsage?.Length ?? 0;
        }
        return systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * onlineCpus * 100.0 : 0;
    }

    /// <summary>Usage minus the inactive file cache, which the kernel can drop at any time.</summary>
    public static ulong MemoryUsageWithoutCache(MemoryStats memory)
    {
        var details = memory.Stats;
        if (details?.TotalInactiveFile is { } v1 && v1 < memory.Usage)
        {
            return memory.Usage - v1;
        }
        if (details?.InactiveFile is { } v2 && v2 < memory.Usage)
        {
            return memory.Usage - v2;
        }
        return memory.Usage;
    }

    private static (ulong Read, ulong Write) BlockIo(BlkioStats? blkio)
    {
        ulong read = 0, write = 0;
        foreach (var entry in blkio?.IoServiceBytesRecursive ?? [])
        {
            if (string.Equals(entry.Op, "read", StringComparison.OrdinalIgnoreCase))
            {
                read += entry.Value;
            }
            else if (string.Equals(entry.Op, "write", StringComparison.OrdinalIgnoreCase))
            {
                write += entry.Value;
            }
        }
        return (read, write);
    }
}
