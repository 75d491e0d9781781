using System.Net;
using System.Text.Json;
using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests;

/// <summary>GET /health, /status, /agents and the JSON error shape, against a running mpm.</summary>
public sealed class HealthEndpointTests : IAsyncLifetime
{
    private MonitorProcess _monitor = null!;

    public async Task InitializeAsync() => _monitor = await MonitorProcess.StartAsync();

    public async Task DisposeAsync() => await _monitor.DisposeAsync();

    [Fact]
    public async Task Health_reports_healthy_with_whole_second_uptime_and_connection_count()
    {
        using var response = await _monitor.Http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await Json(response);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Number, body.GetProperty("uptime").ValueKind);
        Assert.True(body.GetProperty("uptime").TryGetInt64(out var uptime) && uptime >= 0, body.ToString());
        Assert.Equal(0, body.GetProperty("connections").GetInt32());
    }

    [Fact]
    public async Task Status_reports_every_component_and_counts_requests()
    {
        var first = await Json(await _monitor.Http.GetAsync("/status"));
        await _monitor.Http.GetAsync("/health");
        var second = await Json(await _monitor.Http.GetAsync("/status"));

        Assert.Equal("healthy", first.GetProperty("agents").GetString());
        Assert.Equal("not_configured", first.GetProperty("mcp_gateway").GetString());
        Assert.Equal("healthy", first.GetProperty("websocket").GetString());
        Assert.Equal("disabled", first.GetProperty("docker").GetString());
        Assert.Equal("healthy", first.GetProperty("storage").GetString());
        Assert.Equal(0, first.GetProperty("metrics").GetProperty("active_agents").GetInt32());
        var before = first.GetProperty("metrics").GetProperty("total_requests").GetInt64();
        var after = second.GetProperty("metrics").GetProperty("total_requests").GetInt64();
        Assert.True(before >= 1, first.ToString());
        Assert.Equal(before + 2, after);
    }

    [Fact]
    public async Task Agents_is_an_empty_list_before_any_event()
    {
        var body = await Json(await _monitor.Http.GetAsync("/agents"));

        Assert.Equal(JsonValueKind.Array, body.GetProperty("agents").ValueKind);
        Assert.Equal(0, body.GetProperty("agents").GetArrayLength());
    }

    [Theory]
    [InlineData("GET", "/api/no-such-thing", 404, "not_found")]
    [InlineData("POST", "/api/no-such-thing", 404, "not_found")]
    [InlineData("POST", "/health", 405, "method_not_allowed")]
    [InlineData("DELETE", "/anything", 404, "not_found")]
    public async Task Errors_are_json_with_code_and_message(string method, string path, int status, string code)
    {
        using var response = await _monitor.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await Json(response)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task The_dashboard_page_and_its_assets_are_served_at_the_root()
    {
        using var page = await _monitor.Http.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Mpm Monitor</title>", html);
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(/assets/[^\"]+\\.js)\"").Groups[1].Value;
        Assert.NotEmpty(script);
        using var asset = await _monitor.Http.GetAsync(script);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Page_paths_fall_back_to_the_dashboard_but_api_paths_do_not()
    {
        using var page = await _monitor.Http.GetAsync("/sessions/abc");
        using var api = await _monitor.Http.GetAsync("/api/sessions/abc/nothing");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Mpm Monitor</title>", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
