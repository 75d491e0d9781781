using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests;

/// <summary><c>mpm status</c> against a monitor that is up or down, and the verbs not built yet.</summary>
public sealed class StatusAndVerbTests
{
    [Fact]
    public async Task Status_prints_health_and_status_of_a_running_monitor()
    {
        await using var monitor = await MonitorProcess.StartAsync();

        var result = await MonitorProcess.RunToExitAsync(new()
        {
            ConfigYaml = null,
            Arguments = ["status", "--port", monitor.Url.Port.ToString()],
        });

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains($"Mpm Monitor at http://localhost:{monitor.Url.Port}/", result.StandardOutput);
        Assert.Matches(@"status\s+healthy", result.StandardOutput);
        Assert.Matches(@"docker\s+disabled", result.StandardOutput);
        Assert.Matches(@"connections\s+0", result.StandardOutput);
    }

    [Fact]
    public async Task Status_exits_1_when_no_monitor_answers()
    {
        var port = FreePort.Find();

        var result = await MonitorProcess.RunToExitAsync(new() { ConfigYaml = null, Arguments = ["status", "--port", port.ToString()] });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"no monitor answers at http://localhost:{port}/", result.StandardError);
    }
}
