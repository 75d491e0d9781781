using System.Buffers.Text;
using System.IO.Enumeration;
using System.Text;
using Mpm.Monitor.Collectors.Payloads;

namespace Mpm.Monitor.Collectors.HostStats;

/// <summary>
/// CPU use of every process from the deltas of utime+stime in /proc/[pid]/stat between samples.
/// Per-process strings (name, path) are made once per process, not once per sample.
/// </summary>
internal sealed class ProcessCpuTracker
{
    private readonly Dictionary<int, ProcessState> _processes = [];
    private readonly List<(ProcessState State, double Cpu)> _ranked = [];
    private readonly long _pageSize = Environment.SystemPageSize;
    private long _generation;

    /// <param name="reader">the shared /proc reader.</param>
    /// <param name="elapsedTicksPerCpu">host clock ticks since the previous sample, per CPU; 0 on the first sample.</param>
    /// <param name="memoryTotal">MemTotal in bytes.</param>
    /// <param name="count">how many processes to return.</param>
    public IReadOnlyList<ProcessUsage> Sample(ProcFileReader reader, double elapsedTicksPerCpu, ulong memoryTotal, int count)
    {
        var generation = ++_generation;
        _ranked.Clear();
        foreach (var pid in EnumeratePids())
        {
            if (!_processes.TryGetValue(pid, out var state))
            {
                state = new ProcessState(pid);
            }
            var stat = reader.Read(state.StatPath, out var exists);
            if (!exists || !TryParse(stat, out var name, out var ticks, out var startTime, out var rssPages))
            {
                continue;
            }
            var isNew = !_processes.ContainsKey(pid) || state.StartTime != startTime;
            if (isNew)
            {
                state = new ProcessState(pid) { Name = Encoding.UTF8.GetString(name), StartTime = startTime };
                _processes[pid] = state;
            }
            var cpu = !isNew && elapsedTicksPerCpu > 0 && ticks >= state.Ticks
                ? (ticks - state.Ticks) / elapsedTicksPerCpu * 100.0
                : 0;
            state.Ticks = ticks;
            state.RssBytes = rssPages * _pageSize;
            state.Generation = generation;
            _ranked.Add((state, cpu));
        }
        foreach (var pid in _processes.Where(p => p.Value.Generation != generation).Select(p => p.Key).ToList())
        {
            _processes.Remove(pid);
        }
        _ranked.Sort(static (a, b) => b.Cpu != a.Cpu ? b.Cpu.CompareTo(a.Cpu) : b.State.RssBytes.CompareTo(a.State.RssBytes));
        var top = new ProcessUsage[Math.Min(count, _ranked.Count)];
        for (var i = 0; i < top.Length; i++)
        {
            var (state, cpu) = _ranked[i];
            top[i] = new ProcessUsage(state.Name, state.Pid, Math.Round(cpu, 2),
                memoryTotal == 0 ? 0 : Math.Round((double)state.RssBytes / memoryTotal * 100.0, 2));
        }
        return top;
    }

    /// <summary>"pid (comm) state ppid ..." — comm may hold spaces and parentheses, so fields count from the last ')'.</summary>
    private static bool TryParse(ReadOnlySpan<byte> stat, out ReadOnlySpan<byte> name, out ulong ticks, out ulong startTime, out long rssPages)
    {
        name = default;
        ticks = startTime = 0;
        rssPages = 0;
        var open = stat.IndexOf((byte)'(');
        var close = stat.LastIndexOf((byte)')');
        if (open < 0 || close < open)
        {
            return false;
        }
        name = stat[(open + 1)..close];
        var fields = stat[(close + 1)..];
        AsciiFields.Skip(ref fields, 11);                // state (3) .. cmajflt (13)
        ticks = AsciiFields.NextUInt64(ref fields);       // utime (14)
        ticks += AsciiFields.NextUInt64(ref fields);      // stime (15)
        AsciiFields.Skip(ref fields, 6);                 // cutime (16) .. itrealvalue (21)
        startTime = AsciiFields.NextUInt64(ref fields);   // starttime (22)
        AsciiFields.Skip(ref fields, 1);                 // vsize (23)
        return Utf8Parser.TryParse(AsciiFields.Next(ref fields), out rssPages, out _); // rss (24)
    }

    private static FileSystemEnumerable<int> EnumeratePids() =>
        new("/proc", static (ref FileSystemEntry entry) => int.Parse(entry.FileName), new EnumerationOptions { AttributesToSkip = 0 })
        {
            ShouldIncludePredicate = static (ref FileSystemEntry entry) => entry.IsDirectory && IsAllDigits(entry.FileName),
        };

    private static bool IsAllDigits(ReadOnlySpan<char> name) => !name.IsEmpty && !name.ContainsAnyExceptInRange('0', '9');

    private sealed class ProcessState(int pid)
    {
        public int Pid { get; } = pid;
        public string StatPath { get; } = $"/proc/{pid}/stat";
        public string Name { get; init; } = "";
        public ulong StartTime { get; init; }
        public ulong Ticks { get; set; }
        public long RssBytes { get; set; }
        public long Generation { get; set; }
    }
}
