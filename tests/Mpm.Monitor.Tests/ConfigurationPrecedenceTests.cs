using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests;

/// <summary>Flag &gt; MPM_ environment &gt; file &gt; defaults, and the order files are looked up in (CONTRACT §1-2).</summary>
public sealed class ConfigurationPrecedenceTests
{
    private static string Config(int port) => $"""
        monitoring:
          port: {port}
          docker: {"{"} enabled: false {"}"}
          storage: {"{"} path: ":memory:" {"}"}
          logging: {"{"} file: "~/logs/mpm.log" {"}"}
        """;

    [Fact]
    public async Task The_file_sets_the_port()
    {
        var filePort = FreePort.Find();
        await using var monitor = await MonitorProcess.StartAsync(new() { ConfigYaml = Config(filePort) });

        Assert.Equal(filePort, monitor.Url.Port);
    }

    [Fact]
    public async Task The_environment_wins_over_the_file()
    {
        var envPort = FreePort.Find();
        await using var monitor = await MonitorProcess.StartAsync(new()
        {
            ConfigYaml = Config(FreePort.Find()),
            Environment = new Dictionary<string, string?> { ["MPM_MONITORING__PORT"] = envPort.ToString() },
        });

        Assert.Equal(envPort, monitor.Url.Port);
    }

    [Fact]
    public async Task The_flag_wins_over_the_environment_and_the_file()
    {
        var flagPort = FreePort.Find();
        await using var monitor = await MonitorProcess.StartAsync(new()
        {
            ConfigYaml = Config(FreePort.Find()),
            Arguments = ["run", "--monitor", "--port", flagPort.ToString()],
            Environment = new Dictionary<string, string?> { ["MPM_MONITORING__PORT"] = FreePort.Find().ToString() },
        });

        Assert.Equal(flagPort, monitor.Url.Port);
    }

    [Fact]
    public async Task Defaults_apply_without_any_file_with_tilde_expanded_to_home()
    {
        // No file anywhere: the default log file ~/.mpm/logs/mpm.log appears under the private HOME.
        await using var monitor = await MonitorProcess.StartAsync(new()
        {
            ConfigYaml = null,
            Environment = new Dictionary<string, string?>
            {
                ["MPM_MONITORING__PORT"] = "0",
                ["MPM_MONITORING__DOCKER__ENABLED"] = "false",
                ["MPM_MONITORING__STORAGE__PATH"] = ":memory:",
            },
        });

        Assert.Equal("localhost", monitor.Url.Host);
        var logs = Path.Combine(monitor.Home, ".mpm", "logs");
        await Poll.UntilAsync(() => Directory.Exists(logs) && Directory.GetFiles(logs, "mpm*.log").Length > 0, $"no log file in {logs}");
    }

    [Fact]
    public async Task Files_are_looked_up_in_contract_order()
    {
        var home = Directory.CreateTempSubdirectory("mpm-lookup-").FullName;
        try
        {
            var homePort = FreePort.Find();
            Directory.CreateDirectory(Path.Combine(home, ".mpm"));
            File.WriteAllText(Path.Combine(home, ".mpm", "configuration.yaml"), Config(homePort));
            var cwd = Path.Combine(home, "project");
            Directory.CreateDirectory(cwd);
            var environment = new Dictionary<string, string?> { ["HOME"] = home };

            Assert.Equal(homePort, await PortChosen(new() { ConfigYaml = null, WorkingDirectory = cwd, Environment = environment }));

            var cwdPort = FreePort.Find();
            File.WriteAllText(Path.Combine(cwd, "configuration.yaml"), Config(cwdPort));
            Assert.Equal(cwdPort, await PortChosen(new() { ConfigYaml = null, WorkingDirectory = cwd, Environment = environment }));

            var envPort = FreePort.Find();
            var envFile = Path.Combine(home, "from-env.yaml");
            File.WriteAllText(envFile, Config(envPort));
            var withVariable = new Dictionary<string, string?>(environment) { ["MPM_CONFIG"] = envFile };
            Assert.Equal(envPort, await PortChosen(new() { ConfigYaml = null, WorkingDirectory = cwd, Environment = withVariable }));

            var flagPort = FreePort.Find();
            Assert.Equal(flagPort, await PortChosen(new() { ConfigYaml = Config(flagPort), WorkingDirectory = cwd, Environment = withVariable }));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Token_from_MPM_MONITOR_TOKEN_reaches_a_child_command()
    {
        var result = await MonitorProcess.RunToExitAsync(new()
        {
            ChildCommand = ["sh", "-c", "echo \"token=$MPM_MONITOR_TOKEN\""],
            Environment = new Dictionary<string, string?> { ["MPM_MONITOR_TOKEN"] = "s3cret" },
        });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("token=s3cret", result.StandardOutput);
    }

    private static async Task<int> PortChosen(MonitorProcessOptions options)
    {
        await using var monitor = await MonitorProcess.StartAsync(options);
        return monitor.Url.Port;
    }
}
