using System.Text.Json;
using System.Text.Json.Nodes;
using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests.Hooks;

/// <summary>
/// A Claude Code session with a subagent, hook by hook through real <c>mpm hook</c> processes into a real
/// <c>mpm run --monitor</c>, read back from <c>/agents</c>, <c>/api/sessions</c> and <c>/api/events</c>;
/// and <c>mpm emit</c> against the same monitor.
/// </summary>
public sealed class ClaudeSessionEndToEndTests(RealMonitor monitor) : IClassFixture<RealMonitor>, IDisposable
{
    private const string Model = "claude-sonnet-4-5-20250929";
    private readonly TempHome _dir = new();

    [Fact]
    public async Task A_session_with_a_subagent_gives_agents_session_figures_and_file_operations()
    {
        const string session = "e2e-session-1";
        var transcript = _dir.Combine("transcript.jsonl");
        await File.WriteAllTextAsync(transcript,
            """{"type":"user","message":{"role":"user","content":"Add a greeting"}}""" + "\n" +
            Assistant("m1", sidechain: false, 10, 20, 3000, 1000));
        JsonObject Hook(string name, string? extra = null) => JsonNode.Parse(
            $$"""{"session_id":"{{session}}","transcript_path":{{JsonSerializer.Serialize(transcript)}},"cwd":"/proj","hook_event_name":"{{name}}"{{(extra is null ? "" : "," + extra)}}}""")!.AsObject();

        string[] sequence =
        [
            Hook("SessionStart", "\"source\":\"startup\"").ToJsonString(),
            Hook("UserPromptSubmit", "\"prompt\":\"Add a greeting; my API_KEY=abc123 is set\"").ToJsonString(),
            Hook("PreToolUse", """" "tool_name":"Task","tool_use_id":"toolu_task","tool_input":{"subagent_type":"python-engineer","description":"Write the greeting","prompt":"..."}"""").ToJsonString(),
            Hook("PreToolUse", """" "tool_name":"Read","tool_use_id":"toolu_read","tool_input":{"file_path":"/proj/app.py"}"""").ToJsonString(),
            Hook("PostToolUse", """" "tool_name":"Read","tool_use_id":"toolu_read","tool_input":{"file_path":"/proj/app.py"},"tool_response":{"type":"text","file":{"filePath":"/proj/app.py","content":"print('secret file body')\n","numLines":1,"startLine":1,"totalLines":1}}"""").ToJsonString(),
            Hook("PreToolUse", """" "tool_name":"Write","tool_use_id":"toolu_write","tool_input":{"file_path":"/proj/hello.py","content":"print('hello')\n"}"""").ToJsonString(),
            Hook("PostToolUse", """" "tool_name":"Write","tool_use_id":"toolu_write","tool_input":{"file_path":"/proj/hello.py","content":"print('hello')\n"},"tool_response":{"type":"create","filePath":"/proj/hello.py","content":"print('hello')\n","structuredPatch":[]}"""").ToJsonString(),
            Hook("SubagentStop", "\"stop_hook_active\":false").ToJsonString(),
            Hook("PostToolUse", """" "tool_name":"Task","tool_use_id":"toolu_task","tool_input":{"subagent_type":"python-engineer","description":"Write the greeting","prompt":"..."},"tool_response":{"content":[{"type":"text","text":"done"}],"totalDurationMs":1234}"""").ToJsonString(),
            Hook("Stop", "\"stop_hook_active\":false").ToJsonString(),
            Hook("SessionEnd", "\"reason\":\"exit\"").ToJsonString(),
        ];

        for (var i = 0; i < sequence.Length; i++)
        {
            if (i == 9)
            {
                // The session went on meanwhile: a subagent turn (its own context) and the main agent's latest turn.
                await File.AppendAllTextAsync(transcript, Assistant("m2", sidechain: true, 5, 7, 0, 0) + Assistant("m3", sidechain: false, 40, 60, 40_000, 4_900));
            }

            await MpmCli.HookAsync(_dir.Path, monitor.Url, sequence[i]);
        }

        // mpm hook returns once the monitor acknowledged, i.e. once the events are stored.
        var hooks = await RealMonitor.EventsAsync(monitor.Process, $"types=claude_hook&session_id={session}");
        Assert.Equal(sequence.Length, hooks.Length);
        Assert.DoesNotContain(hooks, h => h.GetRawText().Contains("secret file body") || h.GetRawText().Contains("abc123"));
        Assert.False(Directory.Exists(_dir.Combine(".mpm", "spool")) && Directory.EnumerateFiles(_dir.Combine(".mpm", "spool")).Any(),
            "an input was spooled although the monitor was up");

        var activity = await RealMonitor.EventsAsync(monitor.Process, $"types=agent_activity&session_id={session}");
        Assert.Equal(["pm:prompt", "python-engineer:invoked", "python-engineer:completed", "pm:stopped"],
            activity.Select(a => $"{a.GetProperty("agent").GetString()}:{a.GetProperty("action").GetString()}"));
        Assert.Equal("pm", activity[1].GetProperty("parent_agent").GetString());
        Assert.Equal("Write the greeting", activity[1].GetProperty("description").GetString());

        var agents = (await RealMonitor.GetJsonAsync(monitor.Process, "/agents")).GetProperty("agents").EnumerateArray()
            .ToDictionary(a => a.GetProperty("name").GetString()!);
        Assert.Equal(1, agents["pm"].GetProperty("invocations").GetInt64());
        Assert.Equal(1, agents["python-engineer"].GetProperty("invocations").GetInt64());
        Assert.Equal("active", agents["python-engineer"].GetProperty("status").GetString());
        Assert.True(DateTimeOffset.TryParse(agents["pm"].GetProperty("last_seen").GetString(), out _));

        var sessions = (await RealMonitor.GetJsonAsync(monitor.Process, "/api/sessions")).GetProperty("sessions").EnumerateArray();
        var s = Assert.Single(sessions, x => x.GetProperty("session_id").GetString() == session);
        Assert.Equal("ended", s.GetProperty("status").GetString());
        Assert.Equal(45_000, s.GetProperty("token_usage").GetInt64()); // 40 + 60 + 40,000 + 4,900: the latest main-agent line
        Assert.Equal(0.225, s.GetProperty("context_percentage").GetDouble(), 6);
        Assert.Equal(Model, s.GetProperty("model").GetString());
        Assert.Equal(10 + 5 + 40, s.GetProperty("input_tokens").GetInt64());
        Assert.Equal(20 + 7 + 60, s.GetProperty("output_tokens").GetInt64());
        Assert.Equal(3000 + 40_000, s.GetProperty("cache_read_tokens").GetInt64());
        Assert.Equal(1000 + 4_900, s.GetProperty("cache_creation_tokens").GetInt64());
        Assert.Equal(["pm", "python-engineer"], s.GetProperty("agents").EnumerateArray().Select(a => a.GetString()).Order());

        var files = await RealMonitor.EventsAsync(monitor.Process, $"types=file_operation&session_id={session}");
        Assert.Equal(2, files.Length);
        AssertFile(files[0], "/proj/app.py", "read", size: 26);
        AssertFile(files[1], "/proj/hello.py", "create", size: 15);
    }

    [Fact]
    public async Task Mpm_emit_stores_a_custom_event_and_prints_its_id()
    {
        var result = await Emit(monitor.Url, "deploy.finished", "--data", """{"service":"shop","ok":true}""");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StandardError);
        var id = long.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var stored = Assert.Single(await RealMonitor.EventsAsync(monitor.Process, $"types=deploy.finished&since={id - 1}"));
        Assert.Equal(id, stored.GetProperty("id").GetInt64());
        Assert.Equal("shop", stored.GetProperty("service").GetString());
        Assert.True(stored.GetProperty("ok").GetBoolean());
    }

    [Theory]
    [InlineData(new[] { "1bad", "--data", "{}" }, "invalid event name \"1bad\"")]
    [InlineData(new[] { "ok.name", "--data", "{\"a\":" }, "--data is not valid JSON")]
    [InlineData(new[] { "ok.name", "--data", "[1]" }, "--data must be a JSON object")]
    public async Task Mpm_emit_with_a_bad_name_or_json_exits_2_and_stores_nothing(string[] args, string message)
    {
        var before = (await RealMonitor.GetJsonAsync(monitor.Process, "/api/events?limit=1")).GetProperty("last_event_id").GetInt64();

        var result = await Emit(monitor.Url, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError);
        Assert.Equal("", result.StandardOutput);
        Assert.Empty(await RealMonitor.EventsAsync(monitor.Process, $"since={before}&types=ok.name"));
    }

    [Fact]
    public async Task Mpm_emit_with_no_monitor_exits_1_saying_where_it_looked()
    {
        var url = $"http://127.0.0.1:{FreePort.Find()}";

        var result = await Emit(url, "x", "--data", "{}");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"no monitor answers at {url}/", result.StandardError);
        Assert.Equal("", result.StandardOutput);
    }

    private Task<MpmCli.Result> Emit(string url, params string[] args) =>
        MpmCli.RunAsync(["emit", .. args], "", new Dictionary<string, string> { ["HOME"] = _dir.Path, ["MPM_MONITOR_URL"] = url });

    private static void AssertFile(JsonElement e, string file, string operation, long size)
    {
        Assert.Equal(file, e.GetProperty("file").GetString());
        Assert.Equal(operation, e.GetProperty("operation").GetString());
        Assert.Equal(size, e.GetProperty("size").GetInt64());
        Assert.Equal("python-engineer", e.GetProperty("agent").GetString());
        Assert.False(e.TryGetProperty("content", out _));
    }

    private static string Assistant(string id, bool sidechain, long input, long output, long cacheRead, long cacheCreation) =>
        JsonSerializer.Serialize(new
        {
            type = "assistant",
            isSidechain = sidechain,
            message = new
            {
                id,
                model = Model,
                role = "assistant",
                content = new[] { new { type = "text", text = "ok" } },
                usage = new { input_tokens = input, output_tokens = output, cache_read_input_tokens = cacheRead, cache_creation_input_tokens = cacheCreation },
            },
        }) + "\n";

    public void Dispose() => _dir.Dispose();
}
