using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests;

/// <summary>Every configuration mistake stops start-up with exit 2 and names where it is (CONTRACT §2).</summary>
public sealed class ConfigurationErrorTests
{
    [Theory]
    [InlineData("monitoring:\n  port: [5000\n", "configuration.yaml:3", "invalid YAML")]
    [InlineData("monitoring:\n  port: \"abc\"\n", "configuration.yaml:2: monitoring.port: expected an integer from 0 to 65535, got \"abc\"", null)]
    [InlineData("monitoring:\n  port: 70000\n", "configuration.yaml:2: monitoring.port: expected an integer from 0 to 65535, got 70000", null)]
    [InlineData("monitoring:\n  port: -1\n", "configuration.yaml:2: monitoring.port", "got -1")]
    [InlineData("monitoring:\n  enabled: maybe\n", "configuration.yaml:2: monitoring.enabled: expected true or false", null)]
    [InlineData("monitoring:\n  websocket:\n    max_connections: 0\n", "configuration.yaml:3: monitoring.websocket.max_connections: expected an integer of at least 1, got 0", null)]
    [InlineData("monitoring:\n  websocket:\n    ping_interval: 0\n", "configuration.yaml:3: monitoring.websocket.ping_interval", "at least 1")]
    [InlineData("monitoring:\n  websocket:\n    max_payload: 0\n", "configuration.yaml:3: monitoring.websocket.max_payload", "at least 1")]
    [InlineData("monitoring:\n  metrics:\n    interval: -5\n", "configuration.yaml:3: monitoring.metrics.interval", "got -5")]
    [InlineData("monitoring:\n  storage:\n    retention_days: -1\n", "configuration.yaml:3: monitoring.storage.retention_days", "at least 0")]
    [InlineData("monitoring:\n  logging:\n    level: LOUD\n", "configuration.yaml:3: monitoring.logging.level: expected one of DEBUG, INFO, WARNING, ERROR, got \"LOUD\"", null)]
    [InlineData("monitoring:\n  docker:\n    endpoint: http://x\n", "configuration.yaml:3: monitoring.docker.endpoint", "unix://")]
    [InlineData("monitoring:\n  auth: yes-please\n", "configuration.yaml:2: monitoring.auth: expected a mapping of keys", null)]
    [InlineData("monitoring:\n  port:\n    value: 1\n", "configuration.yaml:3: monitoring.port: expected an integer", "mapping or list")]
    [InlineData("monitoring:\n  auth:\n    allowed_origins: \"https://a.example\"\n", "configuration.yaml:3: monitoring.auth.allowed_origins: expected a list of strings", null)]
    [InlineData("monitoring:\n  auth:\n    allowed_origins: [\"not an origin\"]\n", "configuration.yaml:3: monitoring.auth.allowed_origins", "expected origins")]
    [InlineData("- just\n- a list\n", "configuration.yaml:1", "expected a mapping")]
    public async Task A_bad_file_exits_2_naming_file_line_and_key(string yaml, string expected, string? alsoExpected)
    {
        var result = await MonitorProcess.RunToExitAsync(new() { ConfigYaml = yaml });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
        if (alsoExpected is not null)
        {
            Assert.Contains(alsoExpected, result.StandardError);
        }
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public async Task Every_problem_in_the_file_is_reported_at_once()
    {
        var result = await MonitorProcess.RunToExitAsync(new() { ConfigYaml = "monitoring:\n  port: 99999\n  metrics:\n    interval: 0\n" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("configuration.yaml:2: monitoring.port", result.StandardError);
        Assert.Contains("configuration.yaml:4: monitoring.metrics.interval", result.StandardError);
    }

    [Fact]
    public async Task Unknown_keys_are_shown_beside_errors_because_they_are_often_the_cause()
    {
        var result = await MonitorProcess.RunToExitAsync(new() { ConfigYaml = "monitoring:\n  prot: 5000\n  port: x\n" });

        Assert.Equal(2, result.ExitCode);
        Assert.Matches(@"warning: \S*configuration\.yaml:2: monitoring\.prot: unknown key", result.StandardError);
        Assert.Matches(@"error: \S*configuration\.yaml:3: monitoring\.port", result.StandardError);
    }

    [Fact]
    public async Task A_bad_environment_value_exits_2_naming_the_variable()
    {
        var result = await MonitorProcess.RunToExitAsync(new()
        {
            Environment = new Dictionary<string, string?> { ["MPM_MONITORING__WEBSOCKET__MAX_CONNECTIONS"] = "lots" },
        });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("environment variable MPM_MONITORING__WEBSOCKET__MAX_CONNECTIONS: monitoring.websocket.max_connections: expected an integer of at least 1, got \"lots\"", result.StandardError);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("65536")]
    [InlineData("-3")]
    public async Task A_bad_port_flag_exits_2_naming_the_flag(string port)
    {
        var result = await MonitorProcess.RunToExitAsync(new() { Arguments = ["run", "--monitor", "--port", port] });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--port", result.StandardError);
    }

    [Fact]
    public async Task A_non_loopback_host_without_a_token_is_refused_with_how_to_set_one()
    {
        var result = await MonitorProcess.RunToExitAsync(new() { Arguments = ["run", "--monitor", "--host", "0.0.0.0"] });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--host: monitoring.host: \"0.0.0.0\" is reachable from other machines", result.StandardError);
        Assert.Contains("monitoring.auth.token", result.StandardError);
        Assert.Contains("MPM_MONITOR_TOKEN", result.StandardError);
    }

    [Fact]
    public async Task A_missing_config_file_exits_2()
    {
        var result = await MonitorProcess.RunToExitAsync(new()
        {
            ConfigYaml = null,
            Arguments = ["run", "--monitor", "--config", "/nonexistent/mpm.yaml"],
        });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--config: configuration file not found: /nonexistent/mpm.yaml", result.StandardError);
    }

    [Fact]
    public async Task A_missing_MPM_CONFIG_file_exits_2()
    {
        var result = await MonitorProcess.RunToExitAsync(new()
        {
            ConfigYaml = null,
            Environment = new Dictionary<string, string?> { ["MPM_CONFIG"] = "/nonexistent/env.yaml" },
        });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("environment variable MPM_CONFIG: configuration file not found: /nonexistent/env.yaml", result.StandardError);
    }

    [Fact]
    public async Task An_unknown_key_is_a_warning_with_its_line_and_the_monitor_still_starts()
    {
        await using var monitor = await MonitorProcess.StartAsync(new()
        {
            ConfigYaml = MonitorProcessOptions.DefaultConfigYaml + "\n  colour: blue\n  websocket:\n    max_conections: 5\n",
        });

        var warnings = monitor.StandardError.Text;
        Assert.Contains("warning: ", warnings);
        Assert.Matches(@"configuration\.yaml:10: monitoring\.colour: unknown key", warnings);
        Assert.Matches(@"configuration\.yaml:12: monitoring\.websocket\.max_conections: unknown key", warnings);
        Assert.True((await monitor.Http.GetAsync("/health")).IsSuccessStatusCode);
    }
}
