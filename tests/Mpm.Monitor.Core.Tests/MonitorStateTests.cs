using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mpm.Monitor.Core.Projections;
using Mpm.Monitor.Core.Tests.Support;

namespace Mpm.Monitor.Core.Tests;

public sealed class MonitorStateTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 11, 15, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly ManualClock _clock = new(Start);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Projections_follow_agents_sessions_and_files()
    {
        await using var host = await CoreHost.StartAsync(_dir.File("state.db"), _clock);
        await PublishScenarioAsync(host);
        var state = host.Services.GetRequiredService<MonitorState>();

        var agents = state.GetAgents();
        Assert.Equal(["pm", "python-engineer", "qa"], agents.Select(a => a.Name));
        var engineer = agents.Single(a => a.Name == "python-engineer");
        Assert.Equal(2, engineer.Invocations);
        Assert.Equal("active", engineer.Status);
        Assert.Equal("write tests", engineer.CurrentTask);
        Assert.Null(agents.Single(a => a.Name == "qa").CurrentTask);

        var session = Assert.Single(state.GetSessions(), s => s.SessionId == "s1");
        Assert.Equal("ended", session.Status);
        Assert.Equal(45000, session.TokenUsage);
        Assert.Equal(0.225, session.ContextPercentage);
        Assert.Equal("claude-sonnet-4-5", session.Model);
        Assert.Equal(["pm", "python-engineer", "qa"], session.Agents);
        Assert.Equal(Start, session.StartedAt);
        Assert.Equal(120, session.OutputTokens);

        var files = state.GetRecentFileOperations();
        Assert.Equal(["read", "edit", "read"], files.Select(f => f.Operation));
        var latest = state.GetLatestFileOperations();
        Assert.Equal([("/src/b.cs", "read"), ("/src/a.cs", "edit")], latest.Select(f => (f.File, f.Operation)));

        var totals = state.GetTotals();
        Assert.Equal(3, totals.ActiveAgents);
        Assert.Equal(2, totals.Sessions);
        Assert.Equal(1, totals.ActiveSessions);

        // Six minutes later only the agent still between invoked and completed is active.
        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(["python-engineer"], state.GetAgents().Where(a => a.Status == "active").Select(a => a.Name));
        Assert.Equal(1, state.GetTotals().ActiveAgents);
    }

    [Fact]
    public async Task Rebuilding_from_the_store_gives_the_live_projections()
    {
        string path = _dir.File("rebuild.db");
        string live;
        await using (var host = await CoreHost.StartAsync(path, _clock))
        {
            await PublishScenarioAsync(host);
            live = Snapshot(host.Services.GetRequiredService<MonitorState>());
        }

        await using var restarted = await CoreHost.StartAsync(path, _clock);
        Assert.Equal(live, Snapshot(restarted.Services.GetRequiredService<MonitorState>()));
        Assert.Contains("python-engineer", live, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recent_file_operations_are_bounded()
    {
        await using var host = await CoreHost.StartAsync(":memory:", _clock);
        for (int i = 0; i < MonitorState.RecentFileOperationCapacity + 20; i++)
        {
            await host.Dashboard.EmitAsync("file_operation", new { file = $"/f{i}", operation = "read" });
        }

        var files = host.Services.GetRequiredService<MonitorState>().GetRecentFileOperations();
        Assert.Equal(MonitorState.RecentFileOperationCapacity, files.Count);
        Assert.Equal("/f20", files[0].File);
    }

    private static string Snapshot(MonitorState state) => JsonSerializer.Serialize(new
    {
        agents = state.GetAgents(),
        sessions = state.GetSessions(),
        files = state.GetRecentFileOperations(),
        latest = state.GetLatestFileOperations(),
        totals = state.GetTotals(),
    });

    private async Task PublishScenarioAsync(CoreHost host)
    {
        async Task At(int minute, string name, object data)
        {
            _clock.Advance(Start.AddMinutes(minute) - _clock.GetUtcNow());
            await host.Dashboard.EmitAsync(name, data);
        }

        await At(0, "agent_activity", new { session_id = "s1", agent = "pm", action = "prompt", description = "build it" });
        await At(1, "agent_activity", new { session_id = "s1", agent = "python-engineer", action = "invoked", description = "write code" });
        await At(1, "file_operation", new { session_id = "s1", agent = "python-engineer", file = "/src/a.cs", operation = "read", size = 10 });
        await At(2, "file_operation", new { session_id = "s1", agent = "python-engineer", file = "/src/a.cs", operation = "edit" });
        await At(2, "agent_activity", new { session_id = "s1", agent = "python-engineer", action = "completed" });
        await At(3, "agent_activity", new { session_id = "s1", agent = "python-engineer", action = "invoked", description = "write tests" });
        await At(3, "agent_activity", new { session_id = "s1", agent = "qa", action = "invoked", description = "check" });
        await At(4, "agent_activity", new { session_id = "s1", agent = "qa", action = "failed" });
        await At(4, "file_operation", new { session_id = "s2", file = "/src/b.cs", operation = "read" });
        await At(5, "session_update", new { session_id = "s1", token_usage = 45000, context_percentage = 0.225, model = "claude-sonnet-4-5", status = "ended", input_tokens = 100, output_tokens = 120 });
        await At(5, "custom", new { session_id = "s2", note = "touches s2 only" });
    }
}
