using System.Text.Json.Nodes;
using Mpm.Monitor.Core.Claude;

namespace Mpm.Monitor.Core.Tests.Claude;

/// <summary>A real hook sequence of a session that delegates to a subagent, mapped end to end.</summary>
public sealed class ClaudeHookSequenceTests : IDisposable
{
    private const string Session = "3f1c2a9e-5b7d-4e21-9a0c-7d2b8e6f4a10";
    private static readonly DateTimeOffset T0 = new(2025, 11, 15, 10, 30, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Session_with_subagent_gives_the_expected_activity_files_and_usage()
    {
        var transcript = _temp.File("session.jsonl");
        File.Copy(Fixture.PathOf("transcript.jsonl"), transcript);
        var mapper = new ClaudeHookMapper(new TranscriptUsageReader());
        string[] sequence =
        [
            "session_start", "user_prompt_submit", "pre_tool_use_task", "pre_tool_use_read", "post_tool_use_read",
            "pre_tool_use_write", "post_tool_use_write", "subagent_stop", "post_tool_use_task", "stop", "session_end",
        ];

        var produced = new List<MappedEvent>();
        for (var i = 0; i < sequence.Length; i++)
        {
            var events = await mapper.MapAsync(Fixture.Hook(sequence[i], transcript), observedAt: T0.AddSeconds(i));
            Assert.Equal(ClaudeHookMapper.RawEventName, events[0].Name);
            Assert.Equal(sequence[i] switch
            {
                "session_start" => "SessionStart", "user_prompt_submit" => "UserPromptSubmit", "stop" => "Stop",
                "session_end" => "SessionEnd", "subagent_stop" => "SubagentStop",
                var s when s.StartsWith("pre_", StringComparison.Ordinal) => "PreToolUse",
                _ => "PostToolUse",
            }, events[0].Data["hook_event_name"]!.GetValue<string>());
            Assert.All(events, e => Assert.Equal(Session, e.Data["session_id"]!.GetValue<string>()));
            Assert.All(events, e => Assert.Equal(T0.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"), e.Data["timestamp"]!.GetValue<string>()));
            produced.AddRange(events.Skip(1));
        }

        string[] expected =
        [
            "session_update status=active token_usage=20546 model=claude-sonnet-4-5-20250929",
            "agent_activity agent=pm action=prompt",
            "agent_activity agent=python-engineer action=invoked parent_agent=pm description=Implement cart total",
            "file_operation file=/home/dev/shop/README.md operation=read size=35 agent=python-engineer tool=Read duration_ms=1000",
            "file_operation file=/home/dev/shop/cart.py operation=create size=64 agent=python-engineer tool=Write duration_ms=1000",
            "agent_activity agent=python-engineer action=completed parent_agent=pm duration_ms=5000",
            "agent_activity agent=pm action=stopped",
            "session_update status=active token_usage=20546 model=claude-sonnet-4-5-20250929",
            "session_update status=ended token_usage=20546 model=claude-sonnet-4-5-20250929",
        ];
        Assert.Equal(expected, produced.Select(Describe));
        Assert.Equal(0, mapper.SessionCount); // SessionEnd forgets the session

        var ended = produced[^1].Data;
        Assert.Equal(0.10273, ended["context_percentage"]!.GetValue<double>(), 6);
        Assert.Equal(110, ended["input_tokens"]!.GetValue<long>());
        Assert.Equal(210, ended["output_tokens"]!.GetValue<long>());
        Assert.Equal(28000, ended["cache_read_tokens"]!.GetValue<long>());
        Assert.Equal(12500, ended["cache_creation_tokens"]!.GetValue<long>());
        Assert.DoesNotContain(produced, e => e.Data.ContainsKey("content"));
    }

    private static string Describe(MappedEvent e)
    {
        string[] keys = e.Name switch
        {
            "session_update" => ["status", "token_usage", "model"],
            "file_operation" => ["file", "operation", "size", "agent", "tool", "duration_ms"],
            _ => ["agent", "action", "parent_agent", "description", "duration_ms"],
        };
        return e.Name + string.Concat(keys.Where(e.Data.ContainsKey).Select(k => $" {k}={Value(e.Data[k])}"));
    }

    private static string Value(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "null";

    public void Dispose() => _temp.Dispose();
}
