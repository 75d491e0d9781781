using System.Globalization;
using System.Text.Json;
using Mpm.Monitor.Collectors.Containers;
using Mpm.Monitor.Collectors.Docker;
using Mpm.Monitor.Collectors.Payloads;

namespace Mpm.Monitor.Collectors.Tests;

/// <summary>Our container_stats against `docker stats --no-stream` for the same real containers.</summary>
[Collection(DockerCollection.Name)]
public sealed class ContainerStatsTests(DockerFixture docker)
{
    [Fact]
    public async Task Numbers_agree_with_docker_stats()
    {
        var burner = await docker.RunAsync("sh", "-c", "while :; do :; done");
        var idle = await docker.RunAsync("sleep", "300");
        var limited = await docker.RunAsync(["--memory", "64m"], "sleep", "300");
        using var client = new DockerClient(DockerEndpoint.Parse(DockerFixture.Endpoint));
        await using var sampler = new ContainerStatsSampler(client);

        // Wait until every stream has a frame whose CPU reading spans a full second.
        await Eventually.TrueAsync(async () =>
        {
            var payload = await sampler.SampleAsync(CancellationToken.None);
            return new[] { burner.Id, idle.Id, limited.Id }.All(id => payload.Containers.Any(c => c.Id == id))
                && payload.Containers.Single(c => c.Id == burner.Id).CpuPercent > 0;
        }, "stats frames of the three containers");

        // Ours just before and just after the CLI's: its one-second window lies between them.
        var oursBefore = (await sampler.SampleAsync(CancellationToken.None)).Containers.ToDictionary(c => c.Id);
        var reference = await ReferenceAsync(burner.Id, idle.Id, limited.Id);
        var ours = (await sampler.SampleAsync(CancellationToken.None)).Containers.ToDictionary(c => c.Id);
        var hostMemory = Reference.ParseBinarySize(reference[idle.Id].MemUsage.Split(" / ")[1]);

        foreach (var (id, name) in new[] { burner, idle, limited })
        {
            var (actual, expected) = (ours[id], reference[id]);
            Assert.Equal(name, actual.Name);
            Assert.Equal("local/busybox", actual.Image);
            Assert.Equal("running", actual.Status);
            // Both are one-second CPU windows, taken up to a few seconds apart on a shared,
            // loaded machine: a busy loop's share moves by tens of points between windows.
            var (low, high) = (Math.Min(actual.CpuPercent, oursBefore[id].CpuPercent), Math.Max(actual.CpuPercent, oursBefore[id].CpuPercent));
            Assert.InRange(expected.CpuPercent, low - 25, high + 25);
            // Memory of a busybox process barely moves; the CLI prints four significant digits.
            var usage = Reference.ParseBinarySize(expected.MemUsage.Split(" / ")[0]);
            Assert.InRange((double)actual.MemoryUsage, usage - 1024 * 1024, usage + 1024 * 1024);
            Assert.Equal(ulong.Parse(expected.PIDs, CultureInfo.InvariantCulture), actual.Pids);
            Assert.Equal(new NetworkBytes(0, 0), actual.Network); // --network=none: only lo, which the engine does not report
        }
        Assert.InRange(ours[burner.Id].CpuPercent, 20, 200);
        Assert.InRange(ours[idle.Id].CpuPercent, 0, 5);
        Assert.Equal(64UL * 1024 * 1024, ours[limited.Id].MemoryLimit);
        Assert.Equal(64.0 * 1024 * 1024, Reference.ParseBinarySize(reference[limited.Id].MemUsage.Split(" / ")[1]));
        Assert.InRange(ours[idle.Id].MemoryLimit, hostMemory * 0.999, hostMemory * 1.001);
        var limitedEntry = ours[limited.Id];
        Assert.Equal((double)limitedEntry.MemoryUsage / limitedEntry.MemoryLimit * 100, limitedEntry.MemoryPercent, 6);
    }

    [Fact]
    public async Task A_stopped_container_leaves_the_sample_and_its_stream_closes()
    {
        var staying = await docker.RunAsync("sleep", "300");
        var leaving = await docker.RunAsync("sleep", "300");
        using var client = new DockerClient(DockerEndpoint.Parse(DockerFixture.Endpoint));
        await using var sampler = new ContainerStatsSampler(client);
        await Eventually.TrueAsync(async () =>
        {
            var payload = await sampler.SampleAsync(CancellationToken.None);
            return payload.Containers.Any(c => c.Id == staying.Id) && payload.Containers.Any(c => c.Id == leaving.Id);
        }, "both containers sampled");
        var before = sampler.OpenStreamCount;

        await DockerCli.RunAsync("rm", "-f", leaving.Id);

        var after = await sampler.SampleAsync(CancellationToken.None);
        Assert.DoesNotContain(after.Containers, c => c.Id == leaving.Id);
        Assert.Contains(after.Containers, c => c.Id == staying.Id);
        Assert.True(sampler.OpenStreamCount < before, $"streams: {before} before, {sampler.OpenStreamCount} after");
    }

    [Fact]
    public async Task A_started_container_joins_the_sample()
    {
        using var client = new DockerClient(DockerEndpoint.Parse(DockerFixture.Endpoint));
        await using var sampler = new ContainerStatsSampler(client);
        await sampler.SampleAsync(CancellationToken.None);
        var late = await docker.RunAsync("sleep", "300");
        await sampler.ContainerStartedAsync(late.Id, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await sampler.SampleAsync(CancellationToken.None)).Containers.Any(c => c.Id == late.Id),
            "the new container in the sample");
    }

    private static async Task<Dictionary<string, Reference>> ReferenceAsync(params string[] ids)
    {
        string[] arguments = ["stats", "--no-stream", "--no-trunc", "--format", "{{json .}}", .. ids];
        var output = await DockerCli.RunAsync(arguments);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<Reference>(line)!)
            .ToDictionary(r => r.ID);
    }

    private sealed record Reference(string ID, string CPUPerc, string MemUsage, string PIDs)
    {
        public double CpuPercent => double.Parse(CPUPerc.TrimEnd('%'), CultureInfo.InvariantCulture);

        /// <summary>"320KiB", "1.5MiB", "23.54GiB" as the CLI prints them.</summary>
        public static double ParseBinarySize(string text)
        {
            string[] units = ["GiB", "MiB", "KiB", "B"];
            double[] factors = [1 << 30, 1 << 20, 1 << 10, 1];
            for (var i = 0; i < units.Length; i++)
            {
                if (text.EndsWith(units[i], StringComparison.Ordinal))
                {
                    return double.Parse(text[..^units[i].Length], CultureInfo.InvariantCulture) * factors[i];
                }
            }
            throw new FormatException($"unexpected size '{text}'");
        }
    }
}
