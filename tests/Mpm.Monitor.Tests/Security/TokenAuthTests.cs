using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests.Security;

/// <summary>One monitor whose token comes from MPM_MONITOR_TOKEN; every rule of CONTRACT §3/§6 on tokens against it.</summary>
public sealed class TokenAuthTests(TokenAuthTests.Monitor fixture) : IClassFixture<TokenAuthTests.Monitor>
{
    public const string Token = "s3cret-t0ken-42";

    public sealed class Monitor : IAsyncLifetime
    {
        public MonitorProcess Process { get; private set; } = null!;

        public async Task InitializeAsync() => Process = await MonitorProcess.StartAsync(new()
        {
            Environment = new Dictionary<string, string?> { ["MPM_MONITOR_TOKEN"] = Token },
        });

        public async Task DisposeAsync() => await Process.DisposeAsync();
    }

    private MonitorProcess Mpm => fixture.Process;

    [Fact]
    public async Task Health_needs_no_token()
    {
        var response = await Mpm.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/status")]
    [InlineData("/agents")]
    [InlineData("/api/events")]
    [InlineData("/api/sessions")]
    [InlineData("/api/containers")]
    [InlineData("/api/system")]
    [InlineData("/api/containers/abc/logs")]
    public async Task Api_paths_without_a_token_get_401_with_the_error_shape_and_WWW_Authenticate(string path)
    {
        var response = await Mpm.Http.GetAsync(path);
        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task A_wrong_token_gets_401_and_the_right_one_passes_as_Bearer_or_X_API_Key()
    {
        await AssertUnauthorizedAsync(await Send(HttpMethod.Get, "/status", ("Authorization", "Bearer wrong")));
        await AssertUnauthorizedAsync(await Send(HttpMethod.Get, "/status", ("Authorization", "Bearer " + Token + "x")));
        await AssertUnauthorizedAsync(await Send(HttpMethod.Get, "/status", ("X-API-Key", Token[..^1])));
        await AssertUnauthorizedAsync(await Send(HttpMethod.Get, "/status", ("Authorization", "Basic " + Token)));

        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/status", ("Authorization", "Bearer " + Token))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/status", ("Authorization", "bearer " + Token))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/api/events", ("X-API-Key", Token))).StatusCode);
    }

    [Fact]
    public async Task Ingest_needs_the_token_and_a_refused_event_is_not_stored()
    {
        var refused = await Send(HttpMethod.Post, "/api/events", ("X-API-Key", "nope"), body: """{"event":"sneaky","data":{"x":1}}""");
        await AssertUnauthorizedAsync(refused);

        var accepted = await Send(HttpMethod.Post, "/api/events", ("Authorization", "Bearer " + Token), body: """{"event":"allowed","data":{"x":1}}""");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var history = await Send(HttpMethod.Get, "/api/events?types=sneaky,allowed", ("Authorization", "Bearer " + Token));
        var events = (await history.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("events");
        Assert.DoesNotContain(events.EnumerateArray(), e => e.GetProperty("type").GetString() == "sneaky");
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("type").GetString() == "allowed");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/some/client/route")]
    public async Task The_dashboard_page_needs_no_token(string path)
    {
        var response = await Mpm.Http.GetAsync(path);
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(response.StatusCode is HttpStatusCode.OK, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Socket_IO_v5_connects_with_auth_token_and_gets_CONNECT_ERROR_unauthorized_without_it()
    {
        var (good, reply) = await RawSocketIOClient.ConnectAsync(Mpm.Url, new { token = Token });
        await using (good)
        {
            Assert.StartsWith("40{\"sid\"", reply);
        }

        foreach (object? auth in new object?[] { null, new { token = "wrong" }, new { token = 42 }, new { last_event_id = 3 } })
        {
            var (bad, refusal) = await RawSocketIOClient.ConnectAsync(Mpm.Url, auth);
            await using (bad)
            {
                Assert.StartsWith("44", refusal);
                var error = JsonDocument.Parse(refusal[2..]).RootElement;
                Assert.Equal("unauthorized", error.GetProperty("message").GetString());
                Assert.Equal("unauthorized", error.GetProperty("data").GetProperty("code").GetString());
            }
        }
    }

    [Fact]
    public async Task Socket_IO_takes_the_token_from_the_query_for_clients_without_auth()
    {
        var (v5, reply) = await RawSocketIOClient.ConnectAsync(Mpm.Url, query: "&token=" + Uri.EscapeDataString(Token));
        await using (v5)
        {
            Assert.StartsWith("40{\"sid\"", reply);
        }

        var (legacy, legacyReply) = await RawSocketIOClient.ConnectAsync(Mpm.Url, query: "&token=" + Uri.EscapeDataString(Token), protocol: 3);
        await using (legacy)
        {
            Assert.Equal("40", legacyReply);
        }

        var (refused, refusal) = await RawSocketIOClient.ConnectAsync(Mpm.Url, query: "&token=nope", protocol: 3);
        await using (refused)
        {
            Assert.StartsWith("44", refusal);
            Assert.Contains("unauthorized", refusal);
        }
    }

    [Fact]
    public async Task The_token_is_not_echoed_in_any_error()
    {
        var response = await Send(HttpMethod.Get, "/status", ("Authorization", "Bearer almost-" + Token));
        Assert.DoesNotContain(Token, await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, (string Name, string Value) header, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }
        return Mpm.Http.SendAsync(request);
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal("unauthorized", error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }
}
