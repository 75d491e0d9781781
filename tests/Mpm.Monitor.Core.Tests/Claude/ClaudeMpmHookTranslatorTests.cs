using System.Text.Json.Nodes;
using Mpm.Monitor.Core.Claude;

namespace Mpm.Monitor.Core.Tests.Claude;

/// <summary>claude-mpm's hook handler bodies take the same mapping as Claude Code hook inputs.</summary>
public sealed class ClaudeMpmHookTranslatorTests
{
    private static readonly DateTimeOffset T0 = new(2025, 11, 15, 10, 30, 0, TimeSpan.Zero);
    private readonly ClaudeHookMapper _mapper = new(new TranscriptUsageReader());

    [Fact]
    public async Task Pre_and_post_tool_bodies_pair_into_one_file_operation()
    {
        var pre = await _mapper.MapClaudeMpmAsync(Fixture.Hook("claude_mpm_pre_tool"), observedAt: T0);
        var post = await _mapper.MapClaudeMpmAsync(Fixture.Hook("claude_mpm_post_tool"), observedAt: T0.AddMilliseconds(400));

        Assert.Equal([ClaudeHookMapper.RawEventName], pre.Select(e => e.Name));
        var op = post.Single(e => e.Name == "file_operation").Data;
        Assert.Equal("/home/dev/shop/cart.py", op["file"]!.GetValue<string>());
        Assert.Equal("write", op["operation"]!.GetValue<string>());
        Assert.Equal(62, op["size"]!.GetValue<long>());
        Assert.Equal(400, op["duration_ms"]!.GetValue<long>());
        Assert.Equal("3f1c2a9e-5b7d-4e21-9a0c-7d2b8e6f4a10", op["session_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_raw_claude_mpm_event_is_kept_as_claude_hook()
    {
        var body = Fixture.Hook("claude_mpm_pre_tool");

        var raw = (await _mapper.MapClaudeMpmAsync(body)).Single(e => e.Name == ClaudeHookMapper.RawEventName).Data;

        Assert.Equal("pre_tool", raw["subtype"]!.GetValue<string>());
        Assert.Equal("PreToolUse", raw["hook_event_name"]!.GetValue<string>());
        Assert.Equal("Write", raw["data"]!["tool_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delegation_subagent_stop_and_prompt_map_to_agent_activity()
    {
        var invoked = (await _mapper.MapClaudeMpmAsync(Fixture.Hook("claude_mpm_pre_tool_task"))).Single(e => e.Name == "agent_activity").Data;
        var completed = (await _mapper.MapClaudeMpmAsync(Fixture.Hook("claude_mpm_subagent_stop"))).Single(e => e.Name == "agent_activity").Data;
        var prompt = (await _mapper.MapClaudeMpmAsync(Fixture.Hook("claude_mpm_user_prompt"))).Single(e => e.Name == "agent_activity").Data;

        Assert.Equal(("research", "invoked", "Survey payment libraries"),
            (invoked["agent"]!.GetValue<string>(), invoked["action"]!.GetValue<string>(), invoked["description"]!.GetValue<string>()));
        Assert.Equal(("research", "completed"), (completed["agent"]!.GetValue<string>(), completed["action"]!.GetValue<string>()));
        Assert.Equal(("pm", "prompt"), (prompt["agent"]!.GetValue<string>(), prompt["action"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_failed_post_tool_marks_the_operation_failed()
    {
        var post = Fixture.Hook("claude_mpm_post_tool");
        post["data"]!["data"]!["success"] = false;
        post["data"]!["data"]!["exit_code"] = 1;
        post["data"]!["data"]!["error"] = "disk full";

        var op = (await _mapper.MapClaudeMpmAsync(post)).Single(e => e.Name == "file_operation").Data;

        Assert.True(op["failed"]!.GetValue<bool>());
        Assert.Equal("disk full", op["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_subtype_is_kept_as_claude_hook_only()
    {
        var body = JsonNode.Parse("""{"type":"hook","subtype":"todo_updated","session_id":"s","data":{"todos":[]}}""")!.AsObject();

        var events = await _mapper.MapClaudeMpmAsync(body);

        Assert.Equal("todo_updated", events.Single().Data["hook_event_name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"event":"custom","data":{"x":1}}""", "not a claude-mpm hook event")]
    [InlineData("""{"type":"hook"}""", "no \"subtype\"")]
    public async Task Bodies_that_are_not_claude_mpm_hooks_are_refused_clearly(string body, string message)
    {
        var node = JsonNode.Parse(body)!.AsObject();

        Assert.False(ClaudeMpmHookTranslator.IsClaudeMpmHook(node) && message.StartsWith("not", StringComparison.Ordinal));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => _mapper.MapClaudeMpmAsync(node));
        Assert.Contains(message, e.Message);
    }
}
