using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;

namespace Mpm.Monitor.SocketIO.Tests;

public sealed class EngineHandshakeTests
{
    [Fact]
    public async Task Polling_handshake_carries_sid_upgrades_and_the_configured_timings()
    {
        await using var host = await TestHost.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromSeconds(7);
            o.PingTimeout = TimeSpan.FromSeconds(3);
            o.MaxPayload = 50_000;
        });
        var response = await host.Http.GetAsync("/socket.io/?EIO=4&transport=polling");
        Assert.Equal("text/plain; charset=UTF-8", response.Content.Headers.ContentType?.ToString());
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("0{", body);
        var open = JsonDocument.Parse(body[1..]).RootElement;
        Assert.Equal(20, open.GetProperty("sid").GetString()!.Length);
        Assert.Equal("[\"websocket\"]", open.GetProperty("upgrades").GetRawText());
        Assert.Equal(7000, open.GetProperty("pingInterval").GetInt32());
        Assert.Equal(3000, open.GetProperty("pingTimeout").GetInt32());
        Assert.Equal(50_000, open.GetProperty("maxPayload").GetInt32());
        Assert.Equal(1, host.Io.ConnectionCount);
    }

    [Fact]
    public async Task WebSocket_handshake_offers_no_upgrades()
    {
        await using var host = await TestHost.StartAsync();
        await using var ws = await RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"));
        var open = (string)(await ws.ReceiveAsync())!;
        Assert.StartsWith("0{", open);
        Assert.Equal("[]", JsonDocument.Parse(open[1..]).RootElement.GetProperty("upgrades").GetRawText());
    }

    [Theory]
    [InlineData("GET", "/socket.io/?transport=polling", 400, 5, "Unsupported protocol version")]
    [InlineData("GET", "/socket.io/?EIO=9&transport=polling", 400, 5, "Unsupported protocol version")]
    [InlineData("GET", "/socket.io/?EIO=4", 400, 0, "Transport unknown")]
    [InlineData("GET", "/socket.io/?EIO=4&transport=flash", 400, 0, "Transport unknown")]
    [InlineData("POST", "/socket.io/?EIO=4&transport=polling", 400, 2, "Bad handshake method")]
    [InlineData("PUT", "/socket.io/?EIO=4&transport=polling", 400, 2, "Bad handshake method")]
    [InlineData("GET", "/socket.io/?EIO=4&transport=polling&sid=nosuchsession", 400, 1, "Session ID unknown")]
    [InlineData("GET", "/socket.io/?EIO=4&transport=websocket", 400, 3, "Bad request")]
    public async Task Bad_requests_get_the_standard_error_bodies(string method, string url, int status, int code, string message)
    {
        await using var host = await TestHost.StartAsync();
        var response = await host.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.Equal(0, host.Io.ConnectionCount);
    }

    [Fact]
    public async Task Engine_IO_3_is_refused_when_disabled()
    {
        await using var host = await TestHost.StartAsync(o => o.AllowEngineIO3 = false);
        var response = await host.Http.GetAsync("/socket.io/?EIO=3&transport=polling");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(5, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task AllowRequest_refuses_the_handshake_with_403_Forbidden()
    {
        await using var host = await TestHost.StartAsync(o => o.AllowRequest = context => context.Request.Query["token"] == "secret");
        var refused = await host.Http.GetAsync("/socket.io/?EIO=4&transport=polling&token=wrong");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("""{"code":4,"message":"Forbidden"}""", await refused.Content.ReadAsStringAsync());
        var accepted = await host.Http.GetAsync("/socket.io/?EIO=4&transport=polling&token=secret");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Handshakes_beyond_MaxConnections_are_refused_and_open_ones_keep_working()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxConnections = 2);
        var (first, _) = await Polling.HandshakeAsync(host.Http);
        await Polling.HandshakeAsync(host.Http);

        var refused = await host.Http.GetAsync("/socket.io/?EIO=4&transport=polling");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var error = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Too many connections", error.GetProperty("message").GetString());
        await Assert.ThrowsAnyAsync<WebSocketException>(() => RawWebSocket.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket")));
        Assert.Contains(host.Logs.Lines, line => line.Contains("handshake refused", StringComparison.OrdinalIgnoreCase));

        Assert.Equal(HttpStatusCode.OK, (await Polling.PostAsync(host.Http, first, "40")).Status);
        Assert.StartsWith("40{\"sid\":", (await Polling.ReceivePacketsAsync(host.Http, first))[0]);

        // Closing one frees a place.
        await Polling.PostAsync(host.Http, first, "1");
        await Eventually.TrueAsync(() => host.Io.ConnectionCount == 1, "the closed session is gone");
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/socket.io/?EIO=4&transport=polling")).StatusCode);
    }

    [Fact]
    public async Task Options_are_validated_at_start()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => TestHost.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.Zero;
            o.AllowedOrigins = ["*"];
            o.MaxQueuedMessages = 0;
        }));
        Assert.Contains("PingInterval", e.Message);
        Assert.Contains("'*' is not allowed", e.Message);
        Assert.Contains("MaxQueuedMessages", e.Message);
    }
}
