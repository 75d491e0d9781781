// Cost of collecting: N running containers sampled every second, plus system_stats every second.
// Measures this process's CPU (utime+stime from /proc/self/stat) and memory over a window, and
// the engine's CPU over the same window for comparison. Usage:
//   dotnet run -c Release --project bench/collectors -- [containers=50] [seconds=60] [warm-up seconds=30] [interval seconds=1]
// The warm-up lets tiered compilation finish, so the window measures steady state.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mpm.Monitor.Collectors;
using Mpm.Monitor.Collectors.Bench;

var containers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
var warmUpSeconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
var interval = TimeSpan.FromSeconds(args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1);
var prefix = $"mpmbench-{Guid.NewGuid():N}"[..17];
var names = Enumerable.Range(0, containers).Select(i => $"{prefix}-{i}").ToList();

try
{
    Console.WriteLine($"starting {containers} containers ({prefix}-*), interval {interval.TotalSeconds} s");
    foreach (var name in names)
    {
        await Docker.RunAsync("run", "-d", "--network=none", "--name", name, "local/busybox", "/bin/busybox", "sleep", "3600");
    }

    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    var sink = new CountingEventSink();
    builder.Services.AddSingleton<IEventSink>(sink);
    builder.Services.AddCollectors(o => o.Interval = interval);
    using var host = builder.Build();
    await host.StartAsync();
    var latest = host.Services.GetRequiredService<LatestStats>();

    var warmUp = Stopwatch.StartNew();
    while ((latest.Containers?.Containers.Count(c => c.Name.StartsWith(prefix, StringComparison.Ordinal)) ?? 0) < containers)
    {
        if (warmUp.Elapsed > TimeSpan.FromMinutes(2))
        {
            throw new TimeoutException("the containers never all appeared in container_stats");
        }
        await Task.Delay(500);
    }
    Console.WriteLine($"all {containers} sampled after {warmUp.Elapsed.TotalSeconds:0.0} s; warming up {warmUpSeconds} s, then measuring {seconds} s");
    await Task.Delay(TimeSpan.FromSeconds(warmUpSeconds));

    var dockerd = int.Parse((await File.ReadAllTextAsync("/var/run/docker.pid")).Trim(), CultureInfo.InvariantCulture);
    var (selfBefore, engineBefore, eventsBefore) = (ProcStat.CpuTicks(Environment.ProcessId), ProcStat.CpuTicks(dockerd), sink.Count);
    var wall = Stopwatch.StartNew();
    long peakRss = 0;
    while (wall.Elapsed < TimeSpan.FromSeconds(seconds))
    {
        await Task.Delay(1000);
        peakRss = Math.Max(peakRss, ProcStat.RssBytes());
    }
    var elapsed = wall.Elapsed.TotalSeconds;
    var (selfAfter, engineAfter, eventsAfter) = (ProcStat.CpuTicks(Environment.ProcessId), ProcStat.CpuTicks(dockerd), sink.Count);
    var ticksPerSecond = 100.0; // USER_HZ on Linux
    Console.WriteLine($"samples published: {eventsAfter - eventsBefore} in {elapsed:0.0} s (container_stats + system_stats)");
    Console.WriteLine($"monitor CPU: {(selfAfter - selfBefore) / ticksPerSecond / elapsed * 100:0.00} % of one core");
    Console.WriteLine($"monitor memory: RSS peak {peakRss / 1048576.0:0.0} MiB, GC heap {GC.GetTotalMemory(false) / 1048576.0:0.0} MiB, allocated {GC.GetTotalAllocatedBytes() / 1048576.0:0} MiB in total");
    Console.WriteLine($"dockerd CPU meanwhile: {(engineAfter - engineBefore) / ticksPerSecond / elapsed * 100:0.00} % of one core");
    await host.StopAsync();
}
finally
{
    if (names.Count > 0)
    {
        Console.WriteLine("removing the containers");
        await Docker.RunAsync(["rm", "-f", .. names]);
    }
}
