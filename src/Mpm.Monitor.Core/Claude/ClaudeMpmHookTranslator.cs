using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mpm.Monitor.Core.Claude;

/// <summary>
/// Rewrites the events claude-mpm's Python hook handler posts into the Claude Code hook input they
/// stand for, so both take the same mapping (CONTRACT §4, last paragraph).
/// </summary>
/// <remarks>
/// claude-mpm wraps each hook as <c>{"namespace":"","event":"claude_event","data":E}</c> with
/// <c>E = {"type":"hook","subtype":S,"timestamp":...,"session_id":...,"data":{...}}</c> (some versions
/// flatten the inner data into E). Supported subtypes and what is read from the inner data:
/// <list type="table">
/// <item><term>pre_tool</term><description>PreToolUse: <c>tool_name</c>; <c>tool_parameters</c> (or <c>tool_input</c>) as tool_input
/// (file_path / notebook_path, content_length, subagent_type, description); <c>correlation_id</c> as tool_use_id.</description></item>
/// <item><term>post_tool</term><description>PostToolUse: as pre_tool; failure when <c>success</c> is false,
/// <c>exit_code</c> is not 0, <c>has_error</c> is true or <c>error</c> is set.</description></item>
/// <item><term>user_prompt</term><description>UserPromptSubmit: <c>prompt_text</c> (or <c>prompt</c>).</description></item>
/// <item><term>subagent_start, subagent_stop</term><description>SubagentStart / SubagentStop: <c>agent_type</c>, <c>agent_id</c>.</description></item>
/// <item><term>stop, session_start, session_end, notification, pre_compact</term><description>the matching hook.</description></item>
/// </list>
/// Any other subtype is kept as a <c>claude_hook</c> whose hook_event_name is the subtype.
/// Session id: <c>session_id</c> or <c>sessionId</c> of the inner data, else of the envelope;
/// transcript: <c>transcript_path</c>; working directory: <c>working_directory</c> or <c>cwd</c>.
/// </remarks>
public static class ClaudeMpmHookTranslator
{
    private static readonly Dictionary<string, string> HookBySubtype = new(StringComparer.Ordinal)
    {
        ["pre_tool"] = "PreToolUse",
        ["post_tool"] = "PostToolUse",
        ["user_prompt"] = "UserPromptSubmit",
        ["subagent_start"] = "SubagentStart",
        ["subagent_stop"] = "SubagentStop",
        ["stop"] = "Stop",
        ["session_start"] = "SessionStart",
        ["session_end"] = "SessionEnd",
        ["notification"] = "Notification",
        ["pre_compact"] = "PreCompact",
    };

    /// <summary>Whether <paramref name="body"/> (a whole request body or its <c>data</c>) is a claude-mpm hook event.</summary>
    public static bool IsClaudeMpmHook(JsonObject body) => Unwrap(body) is not null;

    /// <summary>
    /// Translates; <paramref name="raw"/> is the claude-mpm event itself (kept as the claude_hook data).
    /// On failure <paramref name="error"/> says what is missing.
    /// </summary>
    public static bool TryTranslate(JsonObject body, out JsonObject hookInput, out JsonObject raw, out string error)
    {
        hookInput = raw = new JsonObject();
        var evt = Unwrap(body);
        if (evt is null)
        {
            error = "not a claude-mpm hook event: expected {\"type\":\"hook\",\"subtype\":\"...\"} (optionally inside {\"event\":\"claude_event\",\"data\":...})";
            return false;
        }
        var subtype = ClaudeHookMapper.Text(evt, "subtype");
        if (subtype is null)
        {
            error = "claude-mpm hook event has no \"subtype\" string";
            return false;
        }
        var inner = evt["data"] as JsonObject ?? evt;
        raw = evt;
        var hook = HookBySubtype.GetValueOrDefault(subtype, subtype);

        var input = new JsonObject { ["hook_event_name"] = hook };
        Copy(input, "session_id", First(inner, "session_id", "sessionId") ?? First(evt, "session_id", "sessionId"));
        Copy(input, "transcript_path", First(inner, "transcript_path"));
        Copy(input, "cwd", First(inner, "working_directory", "cwd"));
        Copy(input, "tool_name", First(inner, "tool_name"));
        Copy(input, "tool_use_id", First(inner, "correlation_id", "tool_use_id"));
        Copy(input, "agent_type", First(inner, "agent_type"));
        Copy(input, "agent_id", First(inner, "agent_id"));
        Copy(input, "prompt", First(inner, "prompt_text", "prompt"));
        Copy(input, "message", First(inner, "message"));
        Copy(input, "model", First(inner, "model"));
        if ((inner["tool_parameters"] ?? inner["tool_input"]) is JsonObject parameters) input["tool_input"] = parameters.DeepClone();

        if (hook == "PostToolUse")
        {
            var failed = inner["success"] is JsonValue s && s.GetValueKind() == JsonValueKind.False
                         || inner["exit_code"] is JsonValue c && c.TryGetValue<long>(out var code) && code != 0
                         || inner["has_error"] is JsonValue h && h.GetValueKind() == JsonValueKind.True
                         || First(inner, "error") is not null;
            var response = new JsonObject { ["is_error"] = failed };
            Copy(response, "error", First(inner, "error"));
            input["tool_response"] = response;
        }
        hookInput = input;
        error = "";
        return true;
    }

    private static JsonObject? Unwrap(JsonObject body)
    {
        if (ClaudeHookMapper.Text(body, "type") == "hook") return body;
        return body["data"] is JsonObject data && ClaudeHookMapper.Text(data, "type") == "hook" ? data : null;
    }

    private static string? First(JsonObject o, params string[] names)
    {
        foreach (var name in names)
            if (ClaudeHookMapper.Text(o, name) is { } value) return value;
        return null;
    }

    private static void Copy(JsonObject target, string name, string? value)
    {
        if (value is not null) target[name] = value;
    }
}
