using System.Text.Json;
using Mpm.Monitor.Core.Events;

namespace Mpm.Monitor.Core.Projections;

/// <summary>
/// What the monitor knows now, folded from the event stream: agents, sessions, recent file
/// operations and totals. Rebuilt from the store at start-up and then fed by the pipeline, in id
/// order, with every stored event; read by <c>/agents</c>, <c>/status</c>, <c>/api/sessions</c> and <c>get_state</c>.
/// </summary>
public sealed class MonitorState
{
    /// <summary>An agent seen within this window is active.</summary>
    public static readonly TimeSpan ActiveWindow = TimeSpan.FromMinutes(5);

    /// <summary>An agent invoked and not yet completed stays active this long after it was last seen.</summary>
    public static readonly TimeSpan OpenInvocationWindow = TimeSpan.FromHours(1);

    public const int RecentFileOperationCapacity = 500;

    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, AgentRecord> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SessionRecord> _sessions = new(StringComparer.Ordinal);
    private readonly Queue<FileOperationView> _files = new(RecentFileOperationCapacity);
    private long _events;
    private long _lastEventId;

    public MonitorState(TimeProvider clock)
    {
        _clock = clock;
    }

    public IReadOnlyList<AgentView> GetAgents()
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            return _agents.Values.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => a.ToView(now)).ToArray();
        }
    }

    /// <summary>Sessions, most recently seen first.</summary>
    public IReadOnlyList<SessionView> GetSessions()
    {
        lock (_gate)
        {
            return _sessions.Values.OrderByDescending(s => s.LastSeen).ThenBy(s => s.Id, StringComparer.Ordinal).Select(s => s.ToView()).ToArray();
        }
    }

    /// <summary>The last <see cref="RecentFileOperationCapacity"/> file operations, oldest first.</summary>
    public IReadOnlyList<FileOperationView> GetRecentFileOperations()
    {
        lock (_gate)
        {
            return _files.ToArray();
        }
    }

    /// <summary>The latest of the recent file operations on each file, newest first.</summary>
    public IReadOnlyList<FileOperationView> GetLatestFileOperations()
    {
        lock (_gate)
        {
            return _files.Reverse().DistinctBy(f => f.File, StringComparer.Ordinal).ToArray();
        }
    }

    public MonitorTotals GetTotals()
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            return new MonitorTotals(
                _agents.Values.Count(a => a.IsActive(now)),
                _agents.Count,
                _sessions.Values.Count(s => s.Status == "active"),
                _sessions.Count,
                _events,
                _lastEventId);
        }
    }

    /// <summary>Folds one stored event in. Called by one thread at a time, in id order.</summary>
    internal void Apply(StoredEvent e)
    {
        JsonDocument? document = e.Type is EventTypes.AgentActivity or EventTypes.FileOperation or EventTypes.SessionUpdate
            ? JsonDocument.Parse(e.Payload)
            : null;
        using (document)
        {
            lock (_gate)
            {
                _events++;
                _lastEventId = e.Id;
                var session = e.SessionId is null ? null : TouchSession(e.SessionId, e.Timestamp);
                if (document is null)
                {
                    return;
                }

                var data = document.RootElement;
                switch (e.Type)
                {
                    case EventTypes.AgentActivity:
                        ApplyAgentActivity(e, data, session);
                        break;
                    case EventTypes.FileOperation:
                        ApplyFileOperation(e, data);
                        break;
                    case EventTypes.SessionUpdate:
                        session?.Apply(data);
                        break;
                }
            }
        }
    }

    private SessionRecord TouchSession(string id, DateTimeOffset time)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            session = new SessionRecord(id, time);
            _sessions.Add(id, session);
        }

        session.Touch(time);
        return session;
    }

    private void ApplyAgentActivity(StoredEvent e, JsonElement data, SessionRecord? session)
    {
        string name = data.GetProperty("agent").GetString()!;
        if (!_agents.TryGetValue(name, out var agent))
        {
            agent = new AgentRecord(name);
            _agents.Add(name, agent);
        }

        agent.Apply(e, data.GetProperty("action").GetString()!, String(data, "description"));
        session?.AddAgent(name);
    }

    private void ApplyFileOperation(StoredEvent e, JsonElement data)
    {
        string? agentName = String(data, "agent");
        if (agentName is not null && _agents.TryGetValue(agentName, out var agent))
        {
            agent.Seen(e.Timestamp, e.SessionId);
        }

        if (_files.Count == RecentFileOperationCapacity)
        {
            _files.Dequeue();
        }

        _files.Enqueue(new FileOperationView(
            e.Id,
            data.GetProperty("file").GetString()!,
            data.GetProperty("operation").GetString()!,
            agentName,
            String(data, "tool"),
            data.TryGetProperty("size", out var size) ? size.GetInt64() : null,
            e.SessionId,
            e.Timestamp));
    }

    private static string? String(JsonElement data, string field) =>
        data.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed class AgentRecord(string name)
    {
        private int _open;

        public string Name { get; } = name;

        private long Invocations { get; set; }

        private DateTimeOffset LastSeen { get; set; } = DateTimeOffset.MinValue;

        private string? CurrentTask { get; set; }

        private string? SessionId { get; set; }

        public void Apply(StoredEvent e, string action, string? description)
        {
            Seen(e.Timestamp, e.SessionId);
            switch (action)
            {
                case "invoked":
                    Invocations++;
                    _open++;
                    CurrentTask = description ?? CurrentTask;
                    break;
                case "prompt":
                    // A prompt starts a turn of the main agent, which no hook reliably closes: it
                    // counts as an invocation but keeps the agent active only through ActiveWindow.
                    Invocations++;
                    CurrentTask = description ?? CurrentTask;
                    break;
                default:
                    // completed, failed, stopped: one invocation fewer in flight.
                    _open = Math.Max(0, _open - 1);
                    if (_open == 0)
                    {
                        CurrentTask = null;
                    }

                    break;
            }
        }

        public void Seen(DateTimeOffset time, string? sessionId)
        {
            if (time > LastSeen)
            {
                LastSeen = time;
            }

            SessionId = sessionId ?? SessionId;
        }

        public bool IsActive(DateTimeOffset now) =>
            now - LastSeen <= ActiveWindow || (_open > 0 && now - LastSeen <= OpenInvocationWindow);

        public AgentView ToView(DateTimeOffset now) =>
            new(Name, IsActive(now) ? "active" : "idle", Invocations, LastSeen, CurrentTask, SessionId);
    }

    private sealed class SessionRecord(string id, DateTimeOffset startedAt)
    {
        private readonly List<string> _agents = [];
        private long _events;

        public string Id { get; } = id;

        public string Status { get; private set; } = "active";

        public DateTimeOffset LastSeen { get; private set; } = startedAt;

        private DateTimeOffset StartedAt { get; set; } = startedAt;

        private long TokenUsage { get; set; }

        private double ContextPercentage { get; set; }

        private string? Model { get; set; }

        private long InputTokens { get; set; }

        private long OutputTokens { get; set; }

        private long CacheReadTokens { get; set; }

        private long CacheCreationTokens { get; set; }

        public void Touch(DateTimeOffset time)
        {
            _events++;
            if (time > LastSeen)
            {
                LastSeen = time;
            }

            if (time < StartedAt)
            {
                StartedAt = time;
            }
        }

        public void AddAgent(string agent)
        {
            if (!_agents.Contains(agent, StringComparer.Ordinal))
            {
                _agents.Add(agent);
            }
        }

        public void Apply(JsonElement data)
        {
            TokenUsage = data.GetProperty("token_usage").GetInt64();
            ContextPercentage = data.GetProperty("context_percentage").GetDouble();
            if (data.TryGetProperty("status", out var status))
            {
                Status = status.GetString()!;
            }

            if (data.TryGetProperty("model", out var model))
            {
                Model = model.GetString();
            }

            InputTokens = Long(data, "input_tokens") ?? InputTokens;
            OutputTokens = Long(data, "output_tokens") ?? OutputTokens;
            CacheReadTokens = Long(data, "cache_read_tokens") ?? CacheReadTokens;
            CacheCreationTokens = Long(data, "cache_creation_tokens") ?? CacheCreationTokens;
        }

        public SessionView ToView() => new(
            Id, Status, TokenUsage, ContextPercentage, Model, _agents.ToArray(), StartedAt, LastSeen,
            InputTokens, OutputTokens, CacheReadTokens, CacheCreationTokens, _events);

        private static long? Long(JsonElement data, string field) =>
            data.TryGetProperty(field, out var value) ? value.GetInt64() : null;
    }
}
