using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Mpm.Monitor.Configuration;
using Mpm.Monitor.Http;

namespace Mpm.Monitor.Cli;

/// <summary><c>mpm status</c>: asks a running monitor for /health and /status and prints them.</summary>
internal static class StatusVerb
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(ConfigurationOverrides overrides, CancellationToken cancellationToken)
    {
        LoadedConfiguration configuration;
        try
        {
            configuration = MonitorConfigurationLoader.Load(overrides);
        }
        catch (ConfigurationException e)
        {
            return ConsoleReporter.ConfigurationFailed(e);
        }
        var monitoring = configuration.Monitoring;
        if (monitoring.Port == 0)
        {
            return ConsoleReporter.Fail(ExitCodes.BadArguments, "--port: give the port the monitor listens on (0 is only for starting one)");
        }

        var baseUrl = new UriBuilder("http", ConnectHost(monitoring.Host), monitoring.Port, "/").Uri;
        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = Timeout };
        if (monitoring.Auth.Token is { Length: > 0 } token)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        try
        {
            var health = await client.GetFromJsonAsync<HealthResponse>("health", cancellationToken);
            var status = await client.GetFromJsonAsync<StatusResponse>("status", cancellationToken);
            Print(baseUrl, health!, status!);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            var reason = e is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.Message;
            return ConsoleReporter.Fail(ExitCodes.RuntimeFailure, $"no monitor answers at {baseUrl}: {reason}");
        }
    }

    private static string ConnectHost(string host) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            ? "localhost"
            : host;

    private static void Print(Uri url, HealthResponse health, StatusResponse status)
    {
        var uptime = TimeSpan.FromSeconds(health.Uptime);
        Console.Out.WriteLine($"Mpm Monitor at {url}");
        Console.Out.WriteLine($"  status        {health.Status}");
        Console.Out.WriteLine($"  uptime        {(int)uptime.TotalHours}h {uptime.Minutes:00}m {uptime.Seconds:00}s");
        Console.Out.WriteLine($"  connections   {health.Connections}");
        Console.Out.WriteLine($"  agents        {status.Agents} ({status.Metrics.ActiveAgents} active)");
        Console.Out.WriteLine($"  websocket     {status.Websocket}");
        Console.Out.WriteLine($"  docker        {status.Docker}");
        Console.Out.WriteLine($"  storage       {status.Storage}");
        Console.Out.WriteLine($"  mcp gateway   {status.McpGateway}");
        Console.Out.WriteLine($"  requests      {status.Metrics.TotalRequests}");
    }
}
