using System.Net;
using System.Text;
using System.Text.Json;
using Mpm.Monitor.Core.Tests.Support;

namespace Mpm.Monitor.Core.Tests;

/// <summary>The event endpoints on a real Kestrel (127.0.0.1:0) with a real SQLite file, through HttpClient.</summary>
public sealed class EventEndpointsTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MonitorServer _server = null!;

    private HttpClient Http => _server.Http;

    public async Task InitializeAsync() => _server = await MonitorServer.StartAsync(o =>
    {
        o.StoragePath = _dir.File("http.db");
        o.HostLabel = "devbox-1";
        o.MaxPayloadBytes = 4096;
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task One_event_is_accepted_once_durable_and_read_back_verbatim()
    {
        var (status, body) = await PostAsync("""{"event":"agent_activity","data":{"session_id":"abc123","agent":"python-engineer","action":"invoked","timestamp":"2025-11-15T10:30:00Z"}}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        long id = Assert.Single(body.GetProperty("ids").EnumerateArray()).GetInt64();

        using var response = await Http.GetAsync("/api/events");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(
            $$"""{"events":[{"id":{{id}},"type":"agent_activity","timestamp":"2025-11-15T10:30:00.000Z","host":"devbox-1","session_id":"abc123","agent":"python-engineer","action":"invoked"}],"last_event_id":{{id}}}""",
            text);
    }

    [Fact]
    public async Task A_batch_gets_consecutive_ids_in_order()
    {
        string batch = JsonSerializer.Serialize(Enumerable.Range(0, 250).Select(i => new { @event = "load", data = new { i } }));
        var (status, body) = await PostAsync(batch);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(250, body.GetProperty("accepted").GetInt32());
        Assert.Equal(Enumerable.Range(1, 250).Select(i => (long)i), body.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()));

        var events = (await GetAsync("/api/events?limit=1000")).GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal(Enumerable.Range(0, 250), events.Select(e => e.GetProperty("i").GetInt32()));
    }

    [Fact]
    public async Task A_batch_of_exactly_1000_is_accepted()
    {
        string batch = JsonSerializer.Serialize(Enumerable.Range(0, 1000).Select(i => new { @event = "load", data = new { i } }));
        var (status, body) = await PostAsync(batch);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(1000, body.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Claude_mpm_hook_body_is_kept_as_a_claude_hook_event()
    {
        var (status, body) = await PostAsync("""{"namespace":"","event":"claude_event","data":{"type":"hook","subtype":"pre_tool","session_id":"s9","tool_name":"Read","tool_input":{"file_path":"/x"}}}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());

        var e = Assert.Single((await GetAsync("/api/events?types=claude_hook")).GetProperty("events").EnumerateArray());
        Assert.Equal("claude_hook", e.GetProperty("type").GetString());
        Assert.Equal("pre_tool", e.GetProperty("subtype").GetString());
        Assert.Equal("s9", e.GetProperty("session_id").GetString());
        Assert.Equal("/x", e.GetProperty("tool_input").GetProperty("file_path").GetString());
    }

    [Fact]
    public async Task Get_filters_by_since_types_session_and_limit()
    {
        await PostAsync("""
            [{"event":"alpha","data":{"session_id":"s1"}},{"event":"beta","data":{"session_id":"s2"}},
             {"event":"alpha","data":{"session_id":"s2"}},{"event":"gamma","data":{}},{"event":"alpha","data":{"session_id":"s1"}}]
            """);

        async Task<long[]> Ids(string query) =>
            (await GetAsync("/api/events" + query)).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToArray();
        Assert.Equal(new long[] { 3, 4, 5 }, await Ids("?since=2"));
        Assert.Equal(new long[] { 1, 3, 4, 5 }, await Ids("?types=alpha,gamma"));
        Assert.Equal(new long[] { 1, 3, 4, 5 }, await Ids("?types=alpha,%20gamma,"));
        Assert.Equal(new long[] { 2, 3 }, await Ids("?session_id=s2"));
        Assert.Equal(new long[] { 5 }, await Ids("?since=1&types=alpha&session_id=s1"));
        Assert.Equal(new long[] { 1, 2 }, await Ids("?limit=2"));
        Assert.Empty(await Ids("?since=5"));
        Assert.Equal(5, (await GetAsync("/api/events?since=5")).GetProperty("last_event_id").GetInt64());
    }

    [Fact]
    public async Task Get_limit_defaults_to_100_and_is_capped_at_1000()
    {
        for (int i = 0; i < 2; i++)
        {
            await PostAsync(JsonSerializer.Serialize(Enumerable.Range(0, 600).Select(n => new { @event = "load", data = new { n } })));
        }

        Assert.Equal(100, (await GetAsync("/api/events")).GetProperty("events").GetArrayLength());
        var capped = await GetAsync("/api/events?limit=5000");
        Assert.Equal(1000, capped.GetProperty("events").GetArrayLength());
        Assert.Equal(1200, capped.GetProperty("last_event_id").GetInt64());
    }

    [Fact]
    public async Task Sessions_come_from_the_projection()
    {
        await PostAsync("""
            [{"event":"agent_activity","data":{"session_id":"abc","agent":"pm","action":"prompt"}},
             {"event":"session_update","data":{"session_id":"abc","token_usage":45000,"context_percentage":0.225,"model":"claude-sonnet-4-5"}}]
            """);

        using var response = await Http.GetAsync("/api/sessions");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var session = Assert.Single(Json.Parse(await response.Content.ReadAsStringAsync()).GetProperty("sessions").EnumerateArray());
        Assert.Equal("abc", session.GetProperty("session_id").GetString());
        Assert.Equal("active", session.GetProperty("status").GetString());
        Assert.Equal(45000, session.GetProperty("token_usage").GetInt64());
        Assert.Equal(0.225, session.GetProperty("context_percentage").GetDouble());
        Assert.Equal("pm", Assert.Single(session.GetProperty("agents").EnumerateArray()).GetString());
        Assert.True(session.TryGetProperty("started_at", out _));
        Assert.True(session.TryGetProperty("last_seen", out _));
    }

    [Theory]
    [InlineData("{\"event\":\"a\",", "invalid_json", "the body is not valid JSON")]
    [InlineData("", "invalid_json", "the body is not valid JSON")]
    [InlineData("\"just a string\"", "invalid_event", "not a string")]
    [InlineData("42", "invalid_event", "or an array of them, not a number")]
    [InlineData("{\"data\":{}}", "invalid_event", "\"event\" (the event name) is required")]
    [InlineData("{\"event\":5,\"data\":{}}", "invalid_event", "\"event\" must be a string, not a number")]
    [InlineData("{\"event\":\"a\"}", "invalid_event", "\"data\" (a JSON object) is required")]
    [InlineData("{\"event\":\"a\",\"data\":[1]}", "invalid_event", "\"data\" must be a JSON object, not an array")]
    [InlineData("{\"event\":\"bad name\",\"data\":{}}", "invalid_event", "event name \"bad name\" is not valid")]
    [InlineData("{\"event\":\"agent_activity\",\"data\":{\"agent\":\"pm\",\"action\":\"x\"}}", "invalid_event", "data.action must be one of invoked, completed, failed, prompt, stopped, not \"x\"")]
    [InlineData("[{\"event\":\"ok\",\"data\":{}},7]", "invalid_event", "events[1]: an event must be an object")]
    [InlineData("[{\"event\":\"ok\",\"data\":{}},{\"event\":\"file_operation\",\"data\":{\"file\":\"f\",\"operation\":\"read\",\"content\":\"x\"}}]", "invalid_event", "events[1]: file_operation must not carry the file's content")]
    [InlineData("[{\"event\":\"claude_event\",\"data\":{\"type\":\"hook\"}},{\"event\":\"ok\",\"data\":{\"session_id\":1}}]", "invalid_event", "events[1]: data.session_id must be a string")]
    public async Task Bad_bodies_get_400_with_a_precise_message_and_lose_nothing(string body, string code, string message)
    {
        var (_, accepted) = await PostAsync("""{"event":"kept","data":{}}""");
        long keptId = accepted.GetProperty("ids")[0].GetInt64();

        var (status, error) = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(error, code, message);

        var events = (await GetAsync("/api/events")).GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal(keptId, Assert.Single(events).GetProperty("id").GetInt64());
        var (after, _) = await PostAsync("""{"event":"still_working","data":{}}""");
        Assert.Equal(HttpStatusCode.Accepted, after);
    }

    [Fact]
    public async Task A_batch_over_1000_gets_400()
    {
        string batch = JsonSerializer.Serialize(Enumerable.Range(0, 1001).Select(i => new { @event = "load", data = new { i } }));
        var (status, error) = await PostAsync(batch);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(error, "invalid_event", "the batch holds 1001 events; at most 1000");
        Assert.Equal(0, (await GetAsync("/api/events")).GetProperty("last_event_id").GetInt64());
    }

    [Fact]
    public async Task An_event_over_max_payload_gets_413()
    {
        string big = $$$"""[{"event":"small","data":{}},{"event":"big","data":{"blob":"{{{new string('x', 5000)}}}"}}]""";
        var (status, error) = await PostAsync(big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        AssertError(error, "payload_too_large", "events[1]: event \"big\" is about");
        Assert.Equal(0, (await GetAsync("/api/events")).GetProperty("last_event_id").GetInt64());
    }

    [Fact]
    public async Task A_body_over_16_MB_with_a_length_gets_413_before_it_is_sent()
    {
        byte[] huge = Encoding.UTF8.GetBytes($$$"""{"event":"huge","data":{"blob":"{{{new string('x', 17 * 1024 * 1024)}}}"}}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = new ByteArrayContent(huge) };
        request.Headers.ExpectContinue = true; // the 413 comes instead of "100 Continue", so the client never sends the 17 MB
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        AssertError(Json.Parse(await response.Content.ReadAsStringAsync()), "payload_too_large", "the limit is 16777216");
    }

    [Fact]
    public async Task A_chunked_body_over_16_MB_gets_413()
    {
        // A raw connection: the server answers while the client is still sending, which HttpClient
        // reports as a broken pipe instead of the response.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(_server.Address.Host, _server.Address.Port);
        var stream = tcp.GetStream();
        string head = $"POST /api/events HTTP/1.1\r\nHost: {_server.Address.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var sending = Task.Run(async () =>
        {
            byte[] chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
            byte[] chunkHead = Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n");
            try
            {
                string start = "{\"event\":\"h\",\"data\":{\"b\":\"";
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{start.Length:x}\r\n{start}\r\n"));
                for (int i = 0; i < 17 * 16; i++)
                {
                    await stream.WriteAsync(chunkHead);
                    await stream.WriteAsync(chunk);
                    await stream.WriteAsync("\r\n"u8.ToArray());
                }
            }
            catch (IOException)
            {
                // the server stopped reading once it had refused the body
            }
        });

        using var reader = new StreamReader(stream, Encoding.ASCII);
        string response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await sending;
        Assert.StartsWith("HTTP/1.1 413", response, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"payload_too_large\"", response, StringComparison.Ordinal);
        Assert.Contains("over the limit of 16777216 bytes", response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?since=abc", "since must be an event id")]
    [InlineData("?since=-1", "since must be an event id")]
    [InlineData("?limit=0", "limit must be an integer from 1 to 1000")]
    [InlineData("?limit=ten", "limit must be an integer from 1 to 1000")]
    [InlineData("?types=ok,bad%20name", "types: \"bad name\" is not an event name")]
    public async Task Bad_queries_get_400(string query, string message)
    {
        using var response = await Http.GetAsync("/api/events" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        AssertError(Json.Parse(await response.Content.ReadAsStringAsync()), "invalid_query", message);
    }

    private static void AssertError(JsonElement body, string code, string message)
    {
        var error = body.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string json) =>
        PostAsync(new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = content };
        using (var response = await Http.SendAsync(request))
        {
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            return (response.StatusCode, Json.Parse(await response.Content.ReadAsStringAsync()));
        }
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Json.Parse(await response.Content.ReadAsStringAsync());
    }
}
