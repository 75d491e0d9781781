namespace Mpm.Monitor.Core.Claude;

/// <summary>
/// What the mapper remembers of one Claude Code session: the subagents running now (in the order
/// they were invoked) and the tool calls seen at PreToolUse still waiting for their PostToolUse.
/// </summary>
internal sealed class ClaudeSessionState(int maxPendingToolCalls)
{
    internal const string MainAgent = "pm";

    private readonly List<ActiveSubagent> _subagents = [];
    private readonly OrderedDictionary<string, PendingToolCall> _pending = new(StringComparer.Ordinal);

    internal IReadOnlyList<ActiveSubagent> Subagents => _subagents;

    internal int PendingCount => _pending.Count;

    /// <summary>The agent tool calls are attributed to when the hook input does not say: the latest running subagent, else the main agent.</summary>
    internal string CurrentAgent => _subagents.Count > 0 ? _subagents[^1].Name : MainAgent;

    internal void AddSubagent(ActiveSubagent subagent) => _subagents.Add(subagent);

    internal ActiveSubagent? FindSubagent(string? agentId, string? toolUseId, string? agentType)
    {
        if (agentId is not null)
            for (var i = _subagents.Count - 1; i >= 0; i--)
                if (_subagents[i].AgentId == agentId) return _subagents[i];
        if (toolUseId is not null)
            for (var i = _subagents.Count - 1; i >= 0; i--)
                if (_subagents[i].ToolUseId == toolUseId) return _subagents[i];
        if (agentType is not null)
            for (var i = _subagents.Count - 1; i >= 0; i--)
                if (_subagents[i].Name == agentType) return _subagents[i];
        return null;
    }

    /// <summary>The subagent a SubagentStop without identifying fields belongs to: the most recently invoked one.</summary>
    internal ActiveSubagent? LatestSubagent => _subagents.Count > 0 ? _subagents[^1] : null;

    internal bool RemoveSubagent(ActiveSubagent subagent) => _subagents.Remove(subagent);

    internal List<ActiveSubagent> TakeAllSubagents()
    {
        var all = new List<ActiveSubagent>(_subagents);
        _subagents.Clear();
        return all;
    }

    internal void AddPending(string key, PendingToolCall call)
    {
        _pending.Remove(key);
        // A PreToolUse whose PostToolUse never came (a denied or interrupted tool) must not pin memory.
        while (_pending.Count >= maxPendingToolCalls) _pending.RemoveAt(0);
        _pending.Add(key, call);
    }

    internal PendingToolCall? TakePending(string key) => _pending.Remove(key, out var call) ? call : null;
}

/// <summary>A subagent invoked through the Task/Agent tool and not yet seen to finish.</summary>
internal sealed record ActiveSubagent(string Name, string ParentAgent, string? ToolUseId, DateTimeOffset InvokedAt)
{
    /// <summary>Claude Code's id of the running subagent, once a SubagentStart told it.</summary>
    public string? AgentId { get; set; }
}

/// <summary>A tool call seen at PreToolUse, waiting for its PostToolUse.</summary>
internal sealed record PendingToolCall(string Tool, string Agent, DateTimeOffset StartedAt);
