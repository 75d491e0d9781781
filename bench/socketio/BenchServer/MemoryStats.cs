namespace BenchServer;

/// <summary>
/// Where the process's memory is: resident set as the kernel counts it (anonymous vs file-backed, from
/// /proc/self/smaps_rollup) taken as it stands, then again after a full compacting GC together with the
/// GC's own view (live heap, fragmentation, committed).
/// </summary>
internal static class MemoryStats
{
    public static object Take(int connections)
    {
        var asIs = SmapsRollup();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var afterGc = SmapsRollup();
        return new
        {
            connections,
            rss = asIs.Rss,
            anon = asIs.Anon,
            file = asIs.Rss - asIs.Anon,
            rssAfterGc = afterGc.Rss,
            anonAfterGc = afterGc.Anon,
            managed = GC.GetTotalMemory(forceFullCollection: false),
            gcHeapSize = info.HeapSizeBytes,
            gcFragmented = info.FragmentedBytes,
            gcCommitted = info.TotalCommittedBytes,
            gcPinned = info.PinnedObjectsCount,
            gcGenerations = info.GenerationInfo.ToArray().Select(static g => g.SizeAfterBytes).ToArray(),
            gcServer = System.Runtime.GCSettings.IsServerGC,
            gcHeaps = GC.GetConfigurationVariables().GetValueOrDefault("HeapCount"),
        };
    }

    private static (long Rss, long Anon) SmapsRollup()
    {
        long rss = 0, anon = 0;
        foreach (var line in File.ReadLines("/proc/self/smaps_rollup"))
        {
            if (line.StartsWith("Rss:", StringComparison.Ordinal))
                rss = Kilobytes(line);
            else if (line.StartsWith("Anonymous:", StringComparison.Ordinal))
                anon = Kilobytes(line);
        }
        return (rss * 1024, anon * 1024);
    }

    private static long Kilobytes(string line) => long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().TrimEnd("kB").Trim());
}
