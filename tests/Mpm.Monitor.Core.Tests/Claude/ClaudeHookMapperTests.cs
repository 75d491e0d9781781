using System.Text.Json.Nodes;
using Mpm.Monitor.Core.Claude;

namespace Mpm.Monitor.Core.Tests.Claude;

public sealed class ClaudeHookMapperTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 11, 15, 10, 30, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly ClaudeHookMapper _mapper = new(new TranscriptUsageReader());

    public static TheoryData<string> HookFixtures() => new(
        Directory.EnumerateFiles(Fixture.Directory, "*.json").Select(Path.GetFileNameWithoutExtension)
            .Where(n => !n!.StartsWith("claude_mpm", StringComparison.Ordinal)).Order()!);

    [Theory]
    [MemberData(nameof(HookFixtures))]
    public async Task Every_hook_is_kept_raw_as_claude_hook_with_its_spool_id(string fixture)
    {
        var input = Fixture.Hook(fixture, _temp.File("none.jsonl"));

        var events = await _mapper.MapAsync(input, spoolId: "0638984262000000000-0000042-0001-0badcafe");

        var raw = events.Single(e => e.Name == ClaudeHookMapper.RawEventName).Data;
        Assert.Equal("0638984262000000000-0000042-0001-0badcafe", raw["spool_id"]!.GetValue<string>());
        raw.Remove("spool_id");
        // Kept as given, but for file contents (HookInputRedaction): none of the fixtures holds a secret or a long string.
        var expected = (JsonObject)input.DeepClone();
        if (input["tool_name"]?.GetValue<string>() is "Read" or "Write" or "Edit" or "MultiEdit" or "NotebookEdit") OmitFileContents(expected);
        Assert.True(JsonNode.DeepEquals(expected, raw), $"claude_hook changed the input: {raw.ToJsonString()}");
        Assert.All(events, e => Assert.Equal(input["session_id"]!.GetValue<string>(), e.Data["session_id"]!.GetValue<string>()));
    }

    private static void OmitFileContents(JsonNode? node)
    {
        string[] contentKeys = ["content", "old_string", "new_string", "new_source", "originalFile", "oldString", "newString", "structuredPatch", "base64"];
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (contentKeys.Contains(key) && o[key] is { } value)
                    {
                        var bytes = value is JsonValue v && v.TryGetValue<string>(out var text) ? System.Text.Encoding.UTF8.GetByteCount(text) : value.ToJsonString().Length;
                        o[key] = $"[file content omitted: {bytes} bytes]";
                    }
                    else
                    {
                        OmitFileContents(o[key]);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a) OmitFileContents(item);
                break;
        }
    }

    [Theory]
    [InlineData("notification")]
    [InlineData("pre_compact")]
    [InlineData("post_tool_use_bash")]
    [InlineData("pre_tool_use_read")]
    public async Task Hooks_without_a_mapping_give_only_claude_hook(string fixture)
    {
        var events = await _mapper.MapAsync(Fixture.Hook(fixture));

        Assert.Equal([ClaudeHookMapper.RawEventName], events.Select(e => e.Name));
    }

    [Theory]
    [InlineData("post_tool_use_edit", "/home/dev/shop/cart.py", "Edit")]
    [InlineData("post_tool_use_multiedit", "/home/dev/shop/cart.py", "MultiEdit")]
    [InlineData("post_tool_use_notebookedit", "/home/dev/shop/analysis.ipynb", "NotebookEdit")]
    public async Task Edits_are_edit_operations_without_a_size(string fixture, string file, string tool)
    {
        var op = (await _mapper.MapAsync(Fixture.Hook(fixture))).Single(e => e.Name == "file_operation").Data;

        Assert.Equal(file, op["file"]!.GetValue<string>());
        Assert.Equal("edit", op["operation"]!.GetValue<string>());
        Assert.Equal(tool, op["tool"]!.GetValue<string>());
        Assert.Equal("pm", op["agent"]!.GetValue<string>());
        Assert.False(op.ContainsKey("size"));
        Assert.False(op.ContainsKey("failed"));
        Assert.False(op.ContainsKey("duration_ms")); // no PreToolUse was seen
    }

    [Fact]
    public async Task Edit_paired_with_its_PreToolUse_has_a_duration()
    {
        await _mapper.MapAsync(Fixture.Hook("pre_tool_use_edit"), observedAt: T0);
        var op = (await _mapper.MapAsync(Fixture.Hook("post_tool_use_edit"), observedAt: T0.AddMilliseconds(250)))
            .Single(e => e.Name == "file_operation").Data;

        Assert.Equal(250, op["duration_ms"]!.GetValue<long>());
        Assert.Equal(0, _mapper.PendingToolCalls(op["session_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Write_without_create_type_is_a_write_and_its_size_comes_from_the_content()
    {
        var input = Fixture.Hook("post_tool_use_write");
        input["tool_response"]!["type"] = "update";

        var op = (await _mapper.MapAsync(input)).Single(e => e.Name == "file_operation").Data;

        Assert.Equal("write", op["operation"]!.GetValue<string>());
        Assert.Equal(64, op["size"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_tool_response_reporting_an_error_marks_the_operation_failed()
    {
        var op = (await _mapper.MapAsync(Fixture.Hook("post_tool_use_write_failed"))).Single(e => e.Name == "file_operation").Data;

        Assert.True(op["failed"]!.GetValue<bool>());
        Assert.Equal("EACCES: permission denied, open '/etc/shadow'", op["error"]!.GetValue<string>());
        Assert.Equal("/etc/shadow", op["file"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostToolUseFailure_gives_a_failed_operation_with_the_error()
    {
        var op = (await _mapper.MapAsync(Fixture.Hook("post_tool_use_failure"))).Single(e => e.Name == "file_operation").Data;

        Assert.Equal("read", op["operation"]!.GetValue<string>());
        Assert.True(op["failed"]!.GetValue<bool>());
        Assert.Equal("File does not exist.", op["error"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"is_error\":true}", true)]
    [InlineData("{\"success\":false}", true)]
    [InlineData("{\"error\":\"boom\"}", true)]
    [InlineData("{\"error\":\"\"}", false)]
    [InlineData("{\"interrupted\":true}", true)]
    [InlineData("\"Error: file not found\"", true)]
    [InlineData("\"<tool_use_error>String not found</tool_use_error>\"", true)]
    [InlineData("{\"type\":\"create\"}", false)]
    [InlineData("\"all good\"", false)]
    public void Failure_is_read_from_the_tool_response(string response, bool failed) =>
        Assert.Equal(failed, ClaudeHookMapper.IsFailure(JsonNode.Parse(response)));

    [Fact]
    public async Task Newer_inputs_name_the_subagent_a_tool_call_belongs_to()
    {
        await _mapper.MapAsync(Fixture.Hook("pre_tool_use_task"), observedAt: T0);
        Assert.Empty((await _mapper.MapAsync(Fixture.Hook("subagent_start"))).Skip(1)); // binds agent-7f3a to the Task call
        var read = Fixture.Hook("pre_tool_use_read_in_subagent");
        await _mapper.MapAsync(read, observedAt: T0.AddSeconds(1));
        read["hook_event_name"] = "PostToolUse";
        read["tool_response"] = new JsonObject { ["type"] = "text", ["file"] = new JsonObject { ["content"] = "ab\u00e9" } };
        var op = (await _mapper.MapAsync(read, observedAt: T0.AddSeconds(2))).Single(e => e.Name == "file_operation").Data;
        Assert.Equal("python-engineer", op["agent"]!.GetValue<string>());
        Assert.Equal(4, op["size"]!.GetValue<long>()); // bytes, not characters

        var stop = (await _mapper.MapAsync(Fixture.Hook("subagent_stop_with_agent"), observedAt: T0.AddSeconds(9))).Skip(1).Single().Data;
        Assert.Equal("python-engineer", stop["agent"]!.GetValue<string>());
        Assert.Equal("completed", stop["action"]!.GetValue<string>());
        Assert.Equal(9000, stop["duration_ms"]!.GetValue<long>());
        Assert.Empty((await _mapper.MapAsync(Fixture.Hook("post_tool_use_task"))).Skip(1)); // completed once only
    }

    [Fact]
    public async Task SubagentStart_without_a_Task_call_we_saw_reports_the_invocation()
    {
        var invoked = (await _mapper.MapAsync(Fixture.Hook("subagent_start"))).Skip(1).Single().Data;

        Assert.Equal("python-engineer", invoked["agent"]!.GetValue<string>());
        Assert.Equal("invoked", invoked["action"]!.GetValue<string>());
        Assert.Equal("pm", invoked["parent_agent"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failed_Task_reports_the_subagent_failed_with_its_duration()
    {
        await _mapper.MapAsync(Fixture.Hook("pre_tool_use_task"), observedAt: T0);
        var post = Fixture.Hook("post_tool_use_task");
        post["tool_response"] = new JsonObject { ["is_error"] = true, ["error"] = "Agent crashed" };

        var failed = (await _mapper.MapAsync(post, observedAt: T0.AddSeconds(3))).Skip(1).Single().Data;

        Assert.Equal("failed", failed["action"]!.GetValue<string>());
        Assert.Equal("python-engineer", failed["agent"]!.GetValue<string>());
        Assert.Equal(3000, failed["duration_ms"]!.GetValue<long>());
        Assert.Equal("Agent crashed", failed["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_Task_finishing_without_SubagentStop_completes_with_the_reported_duration()
    {
        await _mapper.MapAsync(Fixture.Hook("pre_tool_use_task"), observedAt: T0);

        var completed = (await _mapper.MapAsync(Fixture.Hook("post_tool_use_task"), observedAt: T0.AddSeconds(8))).Skip(1).Single().Data;

        Assert.Equal("completed", completed["action"]!.GetValue<string>());
        Assert.Equal(5123, completed["duration_ms"]!.GetValue<long>()); // tool_response.totalDurationMs
    }

    [Fact]
    public async Task Tool_calls_while_a_subagent_runs_are_attributed_to_it_and_after_it_to_pm()
    {
        await _mapper.MapAsync(Fixture.Hook("pre_tool_use_task"));
        var during = (await _mapper.MapAsync(Fixture.Hook("post_tool_use_edit"))).Single(e => e.Name == "file_operation").Data;
        await _mapper.MapAsync(Fixture.Hook("subagent_stop"));
        var after = (await _mapper.MapAsync(Fixture.Hook("post_tool_use_edit"))).Single(e => e.Name == "file_operation").Data;

        Assert.Equal("python-engineer", during["agent"]!.GetValue<string>());
        Assert.Equal("pm", after["agent"]!.GetValue<string>());
    }

    [Fact]
    public async Task SessionEnd_reports_subagents_still_open_as_stopped()
    {
        await _mapper.MapAsync(Fixture.Hook("pre_tool_use_task"));

        var events = await _mapper.MapAsync(Fixture.Hook("session_end", _temp.File("missing.jsonl")));

        var stopped = events.Single(e => e.Name == "agent_activity").Data;
        Assert.Equal("python-engineer", stopped["agent"]!.GetValue<string>());
        Assert.Equal("stopped", stopped["action"]!.GetValue<string>());
        Assert.Equal("ended", events.Single(e => e.Name == "session_update").Data["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_prompt_text_stays_in_claude_hook_only()
    {
        var events = await _mapper.MapAsync(Fixture.Hook("user_prompt_submit"));

        var prompt = events.Single(e => e.Name == "agent_activity").Data;
        Assert.Equal("pm", prompt["agent"]!.GetValue<string>());
        Assert.Equal("prompt", prompt["action"]!.GetValue<string>());
        Assert.Equal(48, prompt["prompt_length"]!.GetValue<int>());
        Assert.DoesNotContain("Add a total()", prompt.ToJsonString());
        Assert.Contains("Add a total()", events[0].Data.ToJsonString());
    }

    [Fact]
    public async Task A_session_whose_transcript_does_not_exist_yet_reports_zero_usage_and_the_input_model()
    {
        var update = (await _mapper.MapAsync(Fixture.Hook("session_start", _temp.File("not-yet.jsonl")))).Single(e => e.Name == "session_update").Data;

        Assert.Equal(0, update["token_usage"]!.GetValue<long>());
        Assert.Equal(0, update["context_percentage"]!.GetValue<double>());
        Assert.Equal("active", update["status"]!.GetValue<string>());
        Assert.Equal("claude-sonnet-4-5-20250929", update["model"]!.GetValue<string>());
        Assert.Equal("/home/dev/shop", update["cwd"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_input_without_hook_event_name_is_refused_with_a_clear_error()
    {
        var input = Fixture.Hook("stop");
        input.Remove("hook_event_name");

        var e = await Assert.ThrowsAsync<ArgumentException>(() => _mapper.MapAsync(input));
        Assert.Contains("hook_event_name", e.Message);
    }

    [Fact]
    public async Task Sessions_and_unanswered_tool_calls_are_bounded()
    {
        var mapper = new ClaudeHookMapper(new TranscriptUsageReader(), maxSessions: 2, maxPendingToolCalls: 3);
        for (var i = 0; i < 10; i++)
        {
            var pre = Fixture.Hook("pre_tool_use_read");
            pre["tool_use_id"] = $"toolu_{i}";
            await mapper.MapAsync(pre);
        }
        Assert.Equal(3, mapper.PendingToolCalls("3f1c2a9e-5b7d-4e21-9a0c-7d2b8e6f4a10"));

        foreach (var session in new[] { "s1", "s2", "s3" })
        {
            var input = Fixture.Hook("user_prompt_submit");
            input["session_id"] = session;
            await mapper.MapAsync(input);
        }
        Assert.Equal(2, mapper.SessionCount);
        Assert.Equal(0, mapper.PendingToolCalls("3f1c2a9e-5b7d-4e21-9a0c-7d2b8e6f4a10")); // least recently used, evicted
    }

    public void Dispose() => _temp.Dispose();
}
