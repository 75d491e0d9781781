using System.Net;
using System.Net.Sockets;
using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests;

/// <summary><c>mpm run</c>: binding, the URL line, child commands, shutdown, --open.</summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task Prints_one_url_line_with_the_real_port_on_stdout()
    {
        await using var monitor = await MonitorProcess.StartAsync();

        Assert.NotEqual(0, monitor.Url.Port);
        Assert.Equal("localhost", monitor.Url.Host);
        Assert.Single(monitor.StandardOutput.Lines);
    }

    [Fact]
    public async Task Localhost_listens_on_ipv4_and_ipv6_loopback_only()
    {
        await using var monitor = await MonitorProcess.StartAsync();

        using var v4 = new HttpClient();
        Assert.True((await v4.GetAsync($"http://127.0.0.1:{monitor.Url.Port}/health")).IsSuccessStatusCode);
        if (Socket.OSSupportsIPv6)
        {
            Assert.True((await v4.GetAsync($"http://[::1]:{monitor.Url.Port}/health")).IsSuccessStatusCode);
        }
        var external = Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => !IPAddress.IsLoopback(a) && a.AddressFamily == AddressFamily.InterNetwork);
        if (external is not null)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(external, monitor.Url.Port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
    }

    [Fact]
    public async Task An_explicit_address_is_the_only_one_listened_on()
    {
        await using var monitor = await MonitorProcess.StartAsync(new() { Arguments = ["run", "--monitor", "--host", "127.0.0.1"] });

        Assert.Equal("127.0.0.1", monitor.Url.Host);
        Assert.True((await monitor.Http.GetAsync("/health")).IsSuccessStatusCode);
        if (Socket.OSSupportsIPv6)
        {
            using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.IPv6Loopback, monitor.Url.Port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
    }

    [Fact]
    public async Task A_port_in_use_exits_3_naming_host_and_port_and_suggesting_port()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var result = await MonitorProcess.RunToExitAsync(new() { Arguments = ["run", "--monitor", "--port", port.ToString()] });

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"localhost:{port}", result.StandardError);
        Assert.Contains("--port", result.StandardError);
        Assert.Empty(result.StandardOutput);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(42)]
    public async Task A_child_command_exit_code_becomes_mpm_exit_code(int code)
    {
        var result = await MonitorProcess.RunToExitAsync(new() { ChildCommand = ["sh", "-c", $"exit {code}"] });

        Assert.Equal(code, result.ExitCode);
    }

    [Fact]
    public async Task A_child_command_reaches_the_monitor_through_MPM_MONITOR_URL()
    {
        var result = await MonitorProcess.RunToExitAsync(new()
        {
            ChildCommand = ["sh", "-c", "echo \"url=$MPM_MONITOR_URL\"; curl -sf \"$MPM_MONITOR_URL/health\""],
        });

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode} (curl must be installed)\n{result.StandardError}");
        Assert.Matches(@"url=http://localhost:\d+(\r?\n|$)", result.StandardOutput);
        Assert.Contains("\"status\":\"healthy\"", result.StandardOutput);
        Assert.DoesNotContain("MPM_MONITOR_TOKEN", result.StandardOutput);
    }

    [Fact]
    public async Task A_child_command_that_cannot_start_exits_1()
    {
        var result = await MonitorProcess.RunToExitAsync(new() { ChildCommand = ["/nonexistent/agent"] });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot run /nonexistent/agent", result.StandardError);
    }

    [Fact]
    public async Task Sigterm_stops_the_monitor_gracefully()
    {
        await using var monitor = await MonitorProcess.StartAsync();
        Assert.True((await monitor.Http.GetAsync("/health")).IsSuccessStatusCode);

        monitor.SendSigterm();

        Assert.Equal(0, await monitor.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Sigterm_during_a_child_command_stops_the_child_too()
    {
        await using var monitor = MonitorProcess.Launch(new() { ChildCommand = ["sleep", "600"] });
        await monitor.WaitForUrlAsync();

        monitor.SendSigterm();

        Assert.NotEqual(0, await monitor.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Open_hands_the_url_to_xdg_open()
    {
        var bin = Directory.CreateTempSubdirectory("mpm-fake-xdg-").FullName;
        try
        {
            var opened = Path.Combine(bin, "opened.txt");
            var script = Path.Combine(bin, "xdg-open");
            File.WriteAllText(script, $"#!/bin/sh\necho \"$1\" > '{opened}'\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            await using var monitor = await MonitorProcess.StartAsync(new()
            {
                Arguments = ["run", "--monitor", "--open"],
                Environment = new Dictionary<string, string?> { ["PATH"] = bin + ":/usr/bin:/bin" },
            });

            await Poll.UntilAsync(() => File.Exists(opened) && File.ReadAllText(opened).Trim().Length > 0, "xdg-open was not called");
            Assert.Equal(monitor.Url.ToString(), File.ReadAllText(opened).Trim());
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    [Fact]
    public async Task Open_without_xdg_open_still_runs()
    {
        var empty = Directory.CreateTempSubdirectory("mpm-empty-path-").FullName;
        try
        {
            await using var monitor = await MonitorProcess.StartAsync(new()
            {
                Arguments = ["run", "--monitor", "--open"],
                Environment = new Dictionary<string, string?> { ["PATH"] = empty },
            });

            Assert.True((await monitor.Http.GetAsync("/health")).IsSuccessStatusCode);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task Logs_go_to_the_configured_file()
    {
        await using var monitor = await MonitorProcess.StartAsync(new()
        {
            ConfigYaml = MonitorProcessOptions.DefaultConfigYaml.Replace("level: INFO", "level: DEBUG"),
        });
        await monitor.Http.GetAsync("/health");

        var logs = Path.Combine(monitor.Home, "logs");
        await Poll.UntilAsync(() => Directory.Exists(logs) && Directory.GetFiles(logs, "mpm*.log").Any(f => new FileInfo(f).Length > 0), $"no log file in {logs}");
    }

    [Fact]
    public async Task Run_without_monitor_or_command_exits_2()
    {
        var result = await MonitorProcess.RunToExitAsync(new() { Arguments = ["run"] });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("mpm run --monitor", result.StandardError);
    }

    [Fact]
    public async Task An_unknown_option_exits_2()
    {
        var result = await MonitorProcess.RunToExitAsync(new() { Arguments = ["run", "--monitor", "--frobnicate"] });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--frobnicate", result.StandardError);
    }
}
