using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests.Security;

/// <summary>
/// A loopback monitor without a token: the Host allow-list (DNS rebinding) and the Origin policy
/// (same origin + auth.allowed_origins, never *), for the HTTP API and the Socket.IO handshake.
/// </summary>
public sealed class ExposureTests(ExposureTests.Monitor fixture) : IClassFixture<ExposureTests.Monitor>
{
    public const string AllowedOrigin = "https://dash.example.com:8443";

    public sealed class Monitor : IAsyncLifetime
    {
        public MonitorProcess Process { get; private set; } = null!;

        public async Task InitializeAsync() => Process = await MonitorProcess.StartAsync(new()
        {
            ConfigYaml = MonitorProcessOptions.DefaultConfigYaml + $"""

                  auth:
                    allowed_origins: ["{AllowedOrigin}"]
                """,
        });

        public async Task DisposeAsync() => await Process.DisposeAsync();
    }

    private MonitorProcess Mpm => fixture.Process;

    private int Port => Mpm.Url.Port;

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:{port}")]
    [InlineData("localhost.evil.example")]
    [InlineData("127.0.0.1.nip.io:{port}")]
    [InlineData("10.0.0.5:{port}")]
    public async Task A_request_for_a_foreign_Host_is_refused_even_for_health_and_socket_io(string host)
    {
        host = host.Replace("{port}", Port.ToString());
        foreach (var path in new[] { "/health", "/api/events", "/", "/socket.io/?EIO=4&transport=polling" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = host;
            var response = await Mpm.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"Host {host} {path}: {(int)response.StatusCode} {text}");
            Assert.Equal("host_not_allowed", JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("code").GetString());
        }
    }

    [Theory]
    [InlineData("localhost:{port}")]
    [InlineData("LOCALHOST")]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("127.0.0.2")]
    [InlineData("[::1]:{port}")]
    [InlineData("dashboard.localhost:{port}")]
    public async Task Loopback_names_are_accepted_with_any_port(string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Host = host.Replace("{port}", Port.ToString());
        Assert.Equal(HttpStatusCode.OK, (await Mpm.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_foreign_Origin_may_not_call_the_API_not_even_with_a_simple_cross_site_POST()
    {
        var post = new HttpRequestMessage(HttpMethod.Post, "/api/events")
        {
            Content = new StringContent("""{"event":"csrf","data":{}}""", System.Text.Encoding.UTF8, "text/plain"),
        };
        post.Headers.Add("Origin", "https://evil.example");
        var response = await Mpm.Http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal("origin_not_allowed", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());

        var history = await Mpm.Http.GetStringAsync("/api/events?types=csrf");
        Assert.Equal(0, JsonDocument.Parse(history).RootElement.GetProperty("events").GetArrayLength());

        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/events");
        preflight.Headers.Add("Origin", "null");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        var refused = await Mpm.Http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_own_origin_and_allowed_origins_pass_and_CORS_echoes_the_origin_never_star()
    {
        var same = new HttpRequestMessage(HttpMethod.Get, "/status");
        same.Headers.Add("Origin", $"http://{Mpm.Url.Authority}");
        Assert.Equal(HttpStatusCode.OK, (await Mpm.Http.SendAsync(same)).StatusCode);

        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/events");
        preflight.Headers.Add("Origin", AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        var answer = await Mpm.Http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal(AllowedOrigin, Assert.Single(answer.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("POST", answer.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Contains("authorization", answer.Headers.GetValues("Access-Control-Allow-Headers").Single());

        var post = new HttpRequestMessage(HttpMethod.Post, "/api/events")
        {
            Content = new StringContent("""{"event":"from_allowed_origin","data":{}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        post.Headers.Add("Origin", AllowedOrigin);
        var accepted = await Mpm.Http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(AllowedOrigin, Assert.Single(accepted.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(accepted.Headers.GetValues("Access-Control-Allow-Credentials")));
    }

    [Fact]
    public async Task A_Socket_IO_handshake_from_a_foreign_Origin_is_refused_and_an_allowed_one_connects()
    {
        var polling = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=polling");
        polling.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await Mpm.Http.SendAsync(polling)).StatusCode);

        await Assert.ThrowsAnyAsync<WebSocketException>(() =>
            RawSocketIOClient.ConnectAsync(Mpm.Url, options: o => o.SetRequestHeader("Origin", "https://evil.example")));

        var (allowed, reply) = await RawSocketIOClient.ConnectAsync(Mpm.Url, options: o => o.SetRequestHeader("Origin", AllowedOrigin));
        await using (allowed)
        {
            Assert.StartsWith("40{", reply);
        }
        var (own, ownReply) = await RawSocketIOClient.ConnectAsync(Mpm.Url, options: o => o.SetRequestHeader("Origin", $"http://localhost:{Port}"));
        await using (own)
        {
            Assert.StartsWith("40{", ownReply);
        }
    }

    [Fact]
    public async Task Without_a_token_on_loopback_the_API_is_open()
    {
        Assert.Equal(HttpStatusCode.OK, (await Mpm.Http.GetAsync("/status")).StatusCode);
    }
}

/// <summary>The start-up rule: a non-loopback host needs a token (CONTRACT §2); the --host case is in ConfigurationErrorTests.</summary>
public sealed class ExposureStartupTests
{
    [Theory]
    [InlineData("192.168.1.10")]
    [InlineData("\"::\"")]
    [InlineData("example.com")]
    public async Task A_non_loopback_host_from_the_file_without_a_token_exits_2_saying_why_and_how(string host)
    {
        var result = await MonitorProcess.RunToExitAsync(new()
        {
            ConfigYaml = MonitorProcessOptions.DefaultConfigYaml.Replace("  port: 0", $"  port: 0\n  host: {host}"),
        });
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is reachable from other machines, so an auth token is required", result.StandardError);
        Assert.Contains("MPM_MONITOR_TOKEN", result.StandardError);
        Assert.Contains("configuration.yaml:", result.StandardError);
    }
}
