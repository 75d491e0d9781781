using System.Text.Json;
using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests.Hooks;

/// <summary>One real <c>mpm run --monitor</c> shared by a test class (xunit class fixture); tests use distinct session ids.</summary>
public sealed class RealMonitor : IAsyncLifetime
{
    public MonitorProcess Process { get; private set; } = null!;

    /// <summary>The base URL without the trailing slash, as MPM_MONITOR_URL is usually given.</summary>
    public string Url => Process.Url.ToString().TrimEnd('/');

    public async Task InitializeAsync() => Process = await MonitorProcess.StartAsync();

    public async Task DisposeAsync() => await Process.DisposeAsync();

    internal static async Task<JsonElement> GetJsonAsync(MonitorProcess monitor, string path)
    {
        using var response = await monitor.Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    internal static async Task<JsonElement[]> EventsAsync(MonitorProcess monitor, string query) =>
        (await GetJsonAsync(monitor, "/api/events?limit=1000&" + query)).GetProperty("events").EnumerateArray().ToArray();
}
