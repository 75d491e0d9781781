using System.Net;
using System.Text;
using System.Text.Json;
using Mpm.Monitor.Hooks;

namespace Mpm.Monitor.Tests.Hooks;

/// <summary><c>POST /api/hooks/claude</c> and the claude-mpm body of <c>POST /api/events</c> on the real monitor.</summary>
public sealed class HookEndpointTests(RealMonitor monitor) : IClassFixture<RealMonitor>
{
    private const string SpoolId = "0639000000000000000-0000001-0001-0badcafe";

    [Fact]
    public async Task A_hook_input_is_stored_as_its_events_and_the_ids_are_returned()
    {
        var (status, body) = await PostHookAsync("""{"session_id":"ep-1","hook_event_name":"UserPromptSubmit","prompt":"hello"}""");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        var ids = body.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()).ToArray();
        var stored = await RealMonitor.EventsAsync(monitor.Process, "session_id=ep-1");
        Assert.Equal(ids, stored.Select(e => e.GetProperty("id").GetInt64()));
        Assert.Equal(["claude_hook", "agent_activity"], stored.Select(e => e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task A_spool_id_already_stored_answers_with_the_stored_ids_and_stores_nothing_again()
    {
        const string input = """{"session_id":"ep-2","hook_event_name":"PreToolUse","tool_name":"Task","tool_use_id":"t1","tool_input":{"subagent_type":"qa"}}""";
        var (_, first) = await PostHookAsync(input, SpoolId);

        var (status, again) = await PostHookAsync(input, SpoolId);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(first.GetRawText(), again.GetRawText());
        Assert.Equal(2, (await RealMonitor.EventsAsync(monitor.Process, "session_id=ep-2")).Length);
    }

    [Theory]
    [InlineData("{\"hook_event_name\":", "invalid_json", "the body is not valid JSON")]
    [InlineData("", "invalid_json", "the body is not valid JSON")]
    [InlineData("[{\"hook_event_name\":\"Stop\"}]", "invalid_hook", "the body must be one Claude Code hook input, a JSON object with \"hook_event_name\", not an array")]
    [InlineData("\"Stop\"", "invalid_hook", "not a string")]
    [InlineData("{\"session_id\":\"ep-3\"}", "invalid_hook", "hook input has no \"hook_event_name\" string")]
    [InlineData("{\"hook_event_name\":\"\",\"session_id\":\"ep-3\"}", "invalid_hook", "hook input has no \"hook_event_name\" string")]
    [InlineData("{\"hook_event_name\":\"Stop\",\"session_id\":42}", "invalid_hook", "hook input \"session_id\" must be a string, not a number")]
    [InlineData("{\"hook_event_name\":\"UserPromptSubmit\",\"session_id\":\"ep-3\",\"prompt\":\"a \\ud800 b\"}", "invalid_hook", "a string in the body cannot be read")]
    [InlineData("{\"hook_event_name\":\"Stop\",\"session_id\":\"\\ud800\"}", "invalid_hook", "a string in the body cannot be read")]
    public async Task Bad_input_gets_400_with_a_precise_message_and_stores_nothing(string body, string code, string message)
    {
        var (status, error) = await PostHookAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, error.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains(message, error.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(await RealMonitor.EventsAsync(monitor.Process, "session_id=ep-3"));
    }

    [Fact]
    public async Task Invalid_UTF8_gets_400_and_the_monitor_keeps_serving()
    {
        byte[] body = [.. "{\"hook_event_name\":\"Stop\",\"session_id\":\"ep-utf8 "u8, 0xff, 0xfe, .. "\"}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var response = await monitor.Process.Http.PostAsync("/api/hooks/claude", content);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_hook", error.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("a string in the body cannot be read", error.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, (await monitor.Process.Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_malformed_spool_id_header_gets_400()
    {
        var (status, error) = await PostHookAsync("""{"hook_event_name":"Stop","session_id":"ep-3"}""", "../../etc/passwd");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_spool_id", error.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("X-Mpm-Spool-Id \"../../etc/passwd\" is not a spool id", error.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_body_over_16_MB_gets_413()
    {
        var big = "{\"hook_event_name\":\"Stop\",\"pad\":\"" + new string('x', 16 * 1024 * 1024) + "\"}";

        // The 413 comes instead of "100 Continue", so the body is never sent; a loaded machine may take longer than the default 1 s to say so.
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) }) { BaseAddress = monitor.Process.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/hooks/claude") { Content = new StringContent(big, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);
        var status = response.StatusCode;
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("payload_too_large", error.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_Read_of_a_file_larger_than_max_payload_is_stored_without_its_content_and_with_its_size()
    {
        var content = new string('a', 3_000_000);
        var read = JsonSerializer.Serialize(new
        {
            session_id = "ep-4",
            hook_event_name = "PostToolUse",
            tool_name = "Read",
            tool_use_id = "r1",
            tool_input = new { file_path = "/big.log" },
            tool_response = new { type = "text", file = new { filePath = "/big.log", content, numLines = 1 } },
        });

        var (status, _) = await PostHookAsync(read);

        Assert.Equal(HttpStatusCode.Accepted, status);
        var stored = await RealMonitor.EventsAsync(monitor.Process, "session_id=ep-4");
        var raw = stored.Single(e => e.GetProperty("type").GetString() == "claude_hook");
        Assert.Equal("[file content omitted: 3000000 bytes]", raw.GetProperty("tool_response").GetProperty("file").GetProperty("content").GetString());
        var file = stored.Single(e => e.GetProperty("type").GetString() == "file_operation");
        Assert.Equal(3_000_000, file.GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task A_claude_mpm_hook_body_on_api_events_is_mapped_like_the_hook()
    {
        const string task = """{"namespace":"","event":"claude_event","data":{"type":"hook","subtype":"pre_tool","session_id":"ep-5","data":{"tool_name":"Task","tool_parameters":{"subagent_type":"research","description":"Look around"},"correlation_id":"c1"}}}""";
        const string prompt = """{"namespace":"","event":"claude_event","data":{"type":"hook","subtype":"user_prompt","session_id":"ep-5","data":{"prompt_text":"hi"}}}""";

        using var first = await monitor.Process.Http.PostAsync("/api/events", new StringContent(prompt, Encoding.UTF8, "application/json"));
        using var second = await monitor.Process.Http.PostAsync("/api/events", new StringContent(task, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var activity = await RealMonitor.EventsAsync(monitor.Process, "session_id=ep-5&types=agent_activity");
        Assert.Equal(["pm:prompt", "research:invoked"], activity.Select(a => $"{a.GetProperty("agent").GetString()}:{a.GetProperty("action").GetString()}"));
        Assert.Equal("Look around", activity[1].GetProperty("description").GetString());
        Assert.Equal(2, (await RealMonitor.EventsAsync(monitor.Process, "session_id=ep-5&types=claude_hook")).Length);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostHookAsync(string body, string? spoolId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/hooks/claude") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (spoolId is not null) request.Headers.TryAddWithoutValidation(HookForwarder.SpoolIdHeader, spoolId);
        using var response = await monitor.Process.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
