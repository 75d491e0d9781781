using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mpm.Monitor.Core.Events;

namespace Mpm.Monitor.Core.Claude;

/// <summary>
/// Turns Claude Code hook inputs into monitor events (CONTRACT §5). Stateful per session: it
/// pairs PreToolUse with PostToolUse (durations, failures) and tracks which subagent is running so
/// tool calls are attributed to it. Every input also yields <c>claude_hook</c> with the raw input.
/// </summary>
/// <remarks>
/// Decisions:
/// <list type="bullet">
/// <item><c>file_operation</c> is emitted once, at PostToolUse (or PostToolUseFailure): only then are
/// the outcome, the size read, create-versus-overwrite and the duration known. A tool call whose
/// PostToolUse never comes (denied, interrupted) gives no file_operation; its PreToolUse stays in
/// <c>claude_hook</c>.</item>
/// <item>A subagent is reported <c>completed</c> by SubagentStop (with the time since it was invoked).
/// The Task/Agent PostToolUse then adds nothing unless it failed (<c>failed</c>), or no SubagentStop
/// came for it (then it reports <c>completed</c> itself), so each invocation ends exactly once.</item>
/// <item>UserPromptSubmit gives <c>agent_activity</c> pm/prompt with the prompt's length only: the text
/// (which may hold secrets) is in <c>claude_hook</c> already and need not be copied to every
/// agent_activity subscriber. Stop gives pm/<c>stopped</c> besides its session_update.</item>
/// <item>SessionEnd forgets the session; subagents still open then are reported <c>stopped</c>.</item>
/// </list>
/// Memory is bounded: at most <c>maxSessions</c> sessions (least recently active evicted) and
/// <c>maxPendingToolCalls</c> unanswered tool calls per session (oldest dropped).
/// </remarks>
public sealed class ClaudeHookMapper
{
    /// <summary>The name of the custom event that keeps every raw hook input.</summary>
    public const string RawEventName = "claude_hook";

    private static readonly HashSet<string> SubagentTools = new(StringComparer.Ordinal) { "Task", "Agent" };
    private static readonly HashSet<string> FileTools = new(StringComparer.Ordinal) { "Read", "Write", "Edit", "MultiEdit", "NotebookEdit" };

    private readonly TranscriptUsageReader _usage;
    private readonly TimeProvider _time;
    private readonly int _maxSessions;
    private readonly int _maxPendingToolCalls;
    private readonly int _maxRawBytes;
    private readonly OrderedDictionary<string, ClaudeSessionState> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <param name="maxPayloadBytes"><c>websocket.max_payload</c>: the <c>claude_hook</c> event is made to fit it (see <see cref="HookInputRedaction"/>).</param>
    public ClaudeHookMapper(TranscriptUsageReader usage, TimeProvider? time = null, int maxSessions = 1000, int maxPendingToolCalls = 256,
        int maxPayloadBytes = 1_000_000)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSessions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPendingToolCalls, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayloadBytes, 1);
        _maxRawBytes = Math.Max(1, maxPayloadBytes - HookInputRedaction.EnvelopeAllowance);
        _usage = usage;
        _time = time ?? TimeProvider.System;
        _maxSessions = maxSessions;
        _maxPendingToolCalls = maxPendingToolCalls;
    }

    internal int SessionCount { get { lock (_gate) return _sessions.Count; } }

    internal int PendingToolCalls(string sessionId)
    {
        lock (_gate) return _sessions.TryGetValue(sessionId, out var s) ? s.PendingCount : 0;
    }

    /// <summary>
    /// Maps one Claude Code hook input. <paramref name="spoolId"/> (when the input came through the
    /// spool or carried one) is recorded as <c>spool_id</c> in <c>claude_hook</c>; <paramref name="observedAt"/>
    /// (when the hook fired, if not now) becomes every event's <c>timestamp</c> and the clock for durations.
    /// </summary>
    /// <exception cref="ArgumentException">the input has no <c>hook_event_name</c> string, or a <c>session_id</c> that is not a string.</exception>
    public Task<IReadOnlyList<MappedEvent>> MapAsync(JsonObject hookInput, string? spoolId = null,
        DateTimeOffset? observedAt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hookInput);
        return MapCoreAsync(hookInput, hookInput, spoolId, observedAt, cancellationToken);
    }

    /// <summary>
    /// Maps the body claude-mpm's hook handler posts (<c>{"event":"claude_event","data":{"type":"hook","subtype":...}}</c>,
    /// or its <c>data</c> alone) like the Claude Code hook it describes; see <see cref="ClaudeMpmHookTranslator"/>.
    /// </summary>
    /// <exception cref="ArgumentException">the body is not a claude-mpm hook event.</exception>
    public Task<IReadOnlyList<MappedEvent>> MapClaudeMpmAsync(JsonObject body, string? spoolId = null,
        DateTimeOffset? observedAt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!ClaudeMpmHookTranslator.TryTranslate(body, out var hookInput, out var raw, out var error))
            throw new ArgumentException(error);
        return MapCoreAsync(hookInput, raw, spoolId, observedAt, cancellationToken);
    }

    /// <summary>Something that is no hook input, kept as <c>claude_hook</c> under the same redaction and size rule.</summary>
    internal MappedEvent Unmapped(JsonObject raw)
    {
        var data = HookInputRedaction.Apply(raw, null, _maxRawBytes);
        if (data["session_id"] is { } id && id.GetValueKind() != JsonValueKind.String) data.Remove("session_id");
        return new MappedEvent(RawEventName, data);
    }

    private async Task<IReadOnlyList<MappedEvent>> MapCoreAsync(JsonObject input, JsonObject raw, string? spoolId,
        DateTimeOffset? observedAt, CancellationToken cancellationToken)
    {
        var hook = Text(input, "hook_event_name")
            ?? throw new ArgumentException("hook input has no \"hook_event_name\" string");
        if (input["session_id"] is { } given && given.GetValueKind() != JsonValueKind.String)
            throw new ArgumentException($"hook input \"session_id\" must be a string, not {JsonKindNames.Describe(given.GetValueKind())}");
        var sessionId = Text(input, "session_id");
        var now = observedAt ?? _time.GetUtcNow();
        var events = new List<MappedEvent>(3);

        var rawData = HookInputRedaction.Apply(raw, Text(input, "tool_name"), _maxRawBytes);
        rawData["hook_event_name"] = hook;
        if (spoolId is not null) rawData["spool_id"] = spoolId;
        events.Add(new MappedEvent(RawEventName, rawData));

        string? sessionStatus = null;
        lock (_gate)
        {
            var state = sessionId is null ? new ClaudeSessionState(_maxPendingToolCalls) : Session(sessionId);
            switch (hook)
            {
                case "PreToolUse": OnPreToolUse(input, state, now, events); break;
                case "PostToolUse": OnPostToolUse(input, state, now, failed: IsFailure(input["tool_response"]), events); break;
                case "PostToolUseFailure": OnPostToolUse(input, state, now, failed: true, events); break;
                case "SubagentStart": OnSubagentStart(input, state, now, events); break;
                case "SubagentStop": OnSubagentStop(input, state, now, events); break;
                case "UserPromptSubmit":
                    events.Add(Activity(ClaudeSessionState.MainAgent, "prompt", ("prompt_length", (Text(input, "prompt") ?? "").Length)));
                    break;
                case "Stop":
                    events.Add(Activity(ClaudeSessionState.MainAgent, "stopped"));
                    sessionStatus = "active";
                    break;
                case "SessionStart": sessionStatus = "active"; break;
                case "SessionEnd":
                    foreach (var open in state.TakeAllSubagents())
                        events.Add(Activity(open.Name, "stopped", ("parent_agent", open.ParentAgent)));
                    if (sessionId is not null) _sessions.Remove(sessionId);
                    sessionStatus = "ended";
                    break;
            }
        }

        // session_update is a session's: without an id there is none to update (the raw input is kept all the same).
        if (sessionStatus is not null && sessionId is not null)
            events.Add(await SessionUpdateAsync(input, sessionId, sessionStatus, cancellationToken).ConfigureAwait(false));

        foreach (var e in events)
        {
            if (sessionId is not null) e.Data["session_id"] = sessionId;
            if (observedAt is not null) e.Data["timestamp"] = observedAt.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }
        return events;
    }

    private ClaudeSessionState Session(string sessionId)
    {
        if (_sessions.Remove(sessionId, out var state))
        {
            _sessions.Add(sessionId, state); // move to the most recently used end
            return state;
        }
        while (_sessions.Count >= _maxSessions) _sessions.RemoveAt(0);
        state = new ClaudeSessionState(_maxPendingToolCalls);
        _sessions.Add(sessionId, state);
        return state;
    }

    private static void OnPreToolUse(JsonObject input, ClaudeSessionState state, DateTimeOffset now, List<MappedEvent> events)
    {
        var tool = Text(input, "tool_name");
        if (tool is null) return;
        var agent = AgentOf(input, state);
        var toolInput = input["tool_input"] as JsonObject;
        if (SubagentTools.Contains(tool))
        {
            // Claude Code runs its general-purpose agent when subagent_type is left out.
            var subagent = Text(toolInput, "subagent_type") ?? "general-purpose";
            var invoked = Activity(subagent, "invoked", ("parent_agent", agent), ("tool", tool));
            if (Text(toolInput, "description") is { } description) invoked.Data["description"] = HookInputRedaction.Text(description);
            events.Add(invoked);
            state.AddSubagent(new ActiveSubagent(subagent, agent, Text(input, "tool_use_id"), now));
        }
        else if (!FileTools.Contains(tool))
        {
            return;
        }
        state.AddPending(PendingKey(input, tool, toolInput), new PendingToolCall(tool, agent, now));
    }

    private static void OnPostToolUse(JsonObject input, ClaudeSessionState state, DateTimeOffset now, bool failed, List<MappedEvent> events)
    {
        var tool = Text(input, "tool_name");
        if (tool is null || !(SubagentTools.Contains(tool) || FileTools.Contains(tool))) return;
        var toolInput = input["tool_input"] as JsonObject;
        var response = input["tool_response"];
        var pending = state.TakePending(PendingKey(input, tool, toolInput));
        long? duration = pending is null ? null : (long)Math.Max(0, (now - pending.StartedAt).TotalMilliseconds);

        if (SubagentTools.Contains(tool))
        {
            if (response is JsonObject r && r["totalDurationMs"] is JsonValue v && v.TryGetValue<long>(out var reported)) duration = reported;
            var subagentType = Text(toolInput, "subagent_type") ?? "general-purpose";
            var subagent = state.FindSubagent(null, Text(input, "tool_use_id"), subagentType);
            if (subagent is not null) state.RemoveSubagent(subagent);
            else if (!failed) return; // SubagentStop already reported it completed
            var activity = Activity(subagent?.Name ?? subagentType, failed ? "failed" : "completed", ("tool", tool));
            activity.Data["parent_agent"] = subagent?.ParentAgent ?? pending?.Agent ?? state.CurrentAgent;
            if (duration is not null) activity.Data["duration_ms"] = duration;
            if (failed && ErrorText(input, response) is { } error) activity.Data["error"] = error;
            events.Add(activity);
            return;
        }

        var file = Text(toolInput, "file_path") ?? Text(toolInput, "notebook_path");
        if (file is null) return;
        var data = new JsonObject
        {
            ["file"] = file,
            ["operation"] = Operation(tool, response),
        };
        if (Size(tool, toolInput, response) is { } size) data["size"] = size;
        data["agent"] = pending?.Agent ?? AgentOf(input, state);
        data["tool"] = tool;
        if (duration is not null) data["duration_ms"] = duration;
        if (failed)
        {
            data["failed"] = true;
            if (ErrorText(input, response) is { } error) data["error"] = error;
        }
        events.Add(new MappedEvent("file_operation", data));
    }

    private static void OnSubagentStart(JsonObject input, ClaudeSessionState state, DateTimeOffset now, List<MappedEvent> events)
    {
        var agentId = Text(input, "agent_id");
        var agentType = Text(input, "agent_type");
        // Bind Claude Code's agent id to the Task call that started it, so later inputs carrying only the id resolve.
        var open = state.Subagents.LastOrDefault(s => s.AgentId is null && (agentType is null || s.Name == agentType));
        if (open is not null)
        {
            open.AgentId = agentId;
            return;
        }
        if (agentType is null) return;
        // A subagent started without a Task PreToolUse we saw (e.g. the hook was installed mid-session).
        var parent = state.CurrentAgent;
        state.AddSubagent(new ActiveSubagent(agentType, parent, null, now) { AgentId = agentId });
        events.Add(Activity(agentType, "invoked", ("parent_agent", parent)));
    }

    private static void OnSubagentStop(JsonObject input, ClaudeSessionState state, DateTimeOffset now, List<MappedEvent> events)
    {
        var agentType = Text(input, "agent_type");
        var subagent = state.FindSubagent(Text(input, "agent_id"), null, agentType) ?? (agentType is null ? state.LatestSubagent : null);
        if (subagent is not null) state.RemoveSubagent(subagent);
        var completed = Activity(agentType ?? subagent?.Name ?? "unknown", "completed");
        if (subagent is not null)
        {
            completed.Data["parent_agent"] = subagent.ParentAgent;
            completed.Data["duration_ms"] = (long)Math.Max(0, (now - subagent.InvokedAt).TotalMilliseconds);
        }
        events.Add(completed);
    }

    private async Task<MappedEvent> SessionUpdateAsync(JsonObject input, string? sessionId, string status, CancellationToken ct)
    {
        var usage = TranscriptUsage.Empty;
        if (Text(input, "transcript_path") is { } path)
        {
            try
            {
                usage = await _usage.ReadAsync(path, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                // An unreadable transcript still gives the session's status; the figures stay zero.
            }
        }
        var data = new JsonObject
        {
            ["session_id"] = sessionId,
            ["token_usage"] = usage.TokenUsage,
            ["context_percentage"] = usage.ContextPercentage,
            ["status"] = status,
        };
        // SessionStart names the model before the transcript has any assistant line.
        if ((usage.Model ?? Text(input, "model")) is { } model) data["model"] = model;
        data["input_tokens"] = usage.InputTokens;
        data["output_tokens"] = usage.OutputTokens;
        data["cache_read_tokens"] = usage.CacheReadTokens;
        data["cache_creation_tokens"] = usage.CacheCreationTokens;
        if (Text(input, "cwd") is { } cwd) data["cwd"] = cwd;
        return new MappedEvent("session_update", data);
    }

    private static string AgentOf(JsonObject input, ClaudeSessionState state)
    {
        if (Text(input, "agent_type") is { } type) return type;
        if (Text(input, "agent_id") is { } id && state.FindSubagent(id, null, null) is { } known) return known.Name;
        return state.CurrentAgent;
    }

    private static string PendingKey(JsonObject input, string tool, JsonObject? toolInput) =>
        Text(input, "tool_use_id")
        ?? string.Concat(tool, "\n", Text(toolInput, "file_path") ?? Text(toolInput, "notebook_path") ?? Text(toolInput, "description") ?? "");

    private static string Operation(string tool, JsonNode? response) => tool switch
    {
        "Read" => "read",
        "Write" => Text(response as JsonObject, "type") == "create" ? "create" : "write",
        _ => "edit",
    };

    private static long? Size(string tool, JsonObject? toolInput, JsonNode? response)
    {
        if (tool == "Write" && Text(toolInput, "content") is { } written) return Encoding.UTF8.GetByteCount(written);
        if (tool == "Read" && response is JsonObject r && r["file"] is JsonObject file && Text(file, "content") is { } read)
            return Encoding.UTF8.GetByteCount(read);
        // claude-mpm reports the written length instead of the content.
        if (toolInput?["content_length"] is JsonValue length && length.TryGetValue<long>(out var n) && tool == "Write") return n;
        return null;
    }

    /// <summary>Whether a PostToolUse's <c>tool_response</c> reports a failed tool.</summary>
    internal static bool IsFailure(JsonNode? response) => response switch
    {
        JsonObject o => Flag(o, "is_error") == true || Flag(o, "success") == false || Flag(o, "interrupted") == true
                        || o["error"] is JsonValue { } e && e.GetValueKind() == JsonValueKind.String && e.GetValue<string>().Length > 0
                        || o["error"] is JsonObject,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is var s
                        && (s.StartsWith("Error", StringComparison.Ordinal) || s.Contains("<tool_use_error>", StringComparison.Ordinal)),
        _ => false,
    };

    private static string? ErrorText(JsonObject input, JsonNode? response) => RawErrorText(input, response) is { } text ? HookInputRedaction.Text(text) : null;

    private static string? RawErrorText(JsonObject input, JsonNode? response)
    {
        if (Text(input, "error") is { } error) return error;
        if (response is JsonObject o)
        {
            if (Text(o, "error") is { } e) return e;
            if (o["error"] is JsonObject eo && Text(eo, "message") is { } m) return m;
        }
        return response is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
    }

    private static bool? Flag(JsonObject o, string name) => o[name] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
        ? v.GetValue<bool>() : null;

    internal static string? Text(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } s ? s : null;

    private static MappedEvent Activity(string agent, string action, params (string Name, JsonNode? Value)[] extra)
    {
        var data = new JsonObject { ["agent"] = agent, ["action"] = action };
        foreach (var (name, value) in extra) data[name] = value;
        return new MappedEvent("agent_activity", data);
    }
}
