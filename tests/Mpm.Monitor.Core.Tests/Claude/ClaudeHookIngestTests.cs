using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Mpm.Monitor.Core.Claude;
using Mpm.Monitor.Core.Storage;
using Mpm.Monitor.Core.Tests.Support;

namespace Mpm.Monitor.Core.Tests.Claude;

/// <summary><see cref="ClaudeHookIngest"/> on the real pipeline and SQLite store: map, publish atomically, once per spool id.</summary>
public sealed class ClaudeHookIngestTests : IDisposable
{
    private const string SpoolId = "0638984262000000000-0000042-0001-0badcafe";
    private readonly Claude.TempDirectory _temp = new();

    private string Database => _temp.File("monitor.db");

    public static TheoryData<string> HookFixtures() => new(
        System.IO.Directory.EnumerateFiles(Fixture.Directory, "*.json").Select(Path.GetFileNameWithoutExtension)
            .Where(n => !n!.StartsWith("claude_mpm", StringComparison.Ordinal)).Order()!);

    [Theory]
    [MemberData(nameof(HookFixtures))]
    public async Task Every_hook_fixture_maps_to_events_the_pipeline_accepts(string fixture)
    {
        File.Copy(Fixture.PathOf("transcript.jsonl"), _temp.File("t.jsonl"));
        await using var host = await CoreHost.StartAsync(Database);
        var ingest = host.Services.GetRequiredService<ClaudeHookIngest>();
        // The Task call first, so that tool calls and stops have something to pair with.
        await ingest.IngestAsync(Fixture.Hook("pre_tool_use_task", _temp.File("t.jsonl")), null, null, default);

        var ids = await ingest.IngestAsync(Fixture.Hook(fixture, _temp.File("t.jsonl")), null, null, default);

        var stored = await host.Pipeline.Store.ReadAsync(new EventQuery(ids[0] - 1, Limit: 100), default);
        Assert.Equal(ids, stored.Select(e => e.Id));
        Assert.Equal("claude_hook", stored[0].Type);
    }

    [Fact]
    public async Task A_spool_id_takes_effect_once_also_after_a_restart()
    {
        IReadOnlyList<long> first;
        await using (var host = await CoreHost.StartAsync(Database))
        {
            var ingest = host.Services.GetRequiredService<ClaudeHookIngest>();
            first = await ingest.IngestAsync(Fixture.Hook("pre_tool_use_task"), SpoolId, null, default);
            Assert.Equal(2, first.Count); // claude_hook, agent_activity invoked
            Assert.Equal(first, await ingest.IngestAsync(Fixture.Hook("pre_tool_use_task"), SpoolId, null, default));
            Assert.Equal(2, await host.Pipeline.Store.CountAsync(default));
        }

        await using (var host = await CoreHost.StartAsync(Database))
        {
            var ingest = host.Services.GetRequiredService<ClaudeHookIngest>();
            Assert.Equal(first, await ingest.IngestAsync(Fixture.Hook("pre_tool_use_task"), SpoolId, null, default));
            Assert.Equal(2, await host.Pipeline.Store.CountAsync(default));
        }
    }

    [Fact]
    public async Task The_same_spool_id_delivered_many_times_at_once_is_stored_once()
    {
        await using var host = await CoreHost.StartAsync(Database);
        var ingest = host.Services.GetRequiredService<ClaudeHookIngest>();

        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => ingest.IngestAsync(Fixture.Hook("user_prompt_submit"), SpoolId, null, default))));

        Assert.All(all, ids => Assert.Equal(all[0], ids));
        Assert.Equal(all[0].Count, await host.Pipeline.Store.CountAsync(default));
    }

    [Theory]
    [InlineData("""{"session_id":"s"}""", "hook input has no \"hook_event_name\" string")]
    [InlineData("""{"hook_event_name":7}""", "hook input has no \"hook_event_name\" string")]
    [InlineData("""{"hook_event_name":"Stop","session_id":5}""", "hook input \"session_id\" must be a string, not a number")]
    public async Task An_input_that_cannot_be_stored_is_rejected_and_stores_nothing(string input, string message)
    {
        await using var host = await CoreHost.StartAsync(Database);
        var ingest = host.Services.GetRequiredService<ClaudeHookIngest>();

        var e = await Assert.ThrowsAsync<HookInputRejectedException>(() => ingest.IngestAsync(JsonNode.Parse(input)!.AsObject(), SpoolId, null, default));

        Assert.Equal(message, e.Message);
        Assert.False(e.TooLarge);
        Assert.Equal(0, await host.Pipeline.Store.CountAsync(default));
        Assert.Null(await host.Pipeline.Store.FindDeliveryAsync(SpoolId, default));
    }

    [Fact]
    public async Task A_session_hook_without_a_session_id_is_kept_raw_only()
    {
        await using var host = await CoreHost.StartAsync(Database);
        var ingest = host.Services.GetRequiredService<ClaudeHookIngest>();

        var ids = await ingest.IngestAsync(JsonNode.Parse("""{"hook_event_name":"SessionStart","source":"startup"}""")!.AsObject(), null, null, default);

        Assert.Equal("claude_hook", Assert.Single(await host.Pipeline.Store.ReadAsync(new EventQuery(), default)).Type);
        Assert.Single(ids);
    }

    [Fact]
    public async Task The_drain_delivers_in_order_and_sets_aside_an_input_that_can_never_be_stored()
    {
        await using var host = await CoreHost.StartAsync(Database);
        var ingest = host.Services.GetRequiredService<ClaudeHookIngest>();
        var spool = new HookSpool(_temp.File("spool"));
        var t0 = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        string[] inputs =
        [
            """{"hook_event_name":"UserPromptSubmit","session_id":"d1","prompt":"one"}""",
            """{"session_id":"d1","prompt":"no hook name"}""",
            """{"hook_event_name":"Stop","session_id":"d1"}""",
        ];
        for (var i = 0; i < inputs.Length; i++) spool.Write(spool.NewId(t0.AddSeconds(i)), Encoding.UTF8.GetBytes(inputs[i]));
        var drainer = new HookSpoolDrainer(spool, NullLogger<HookSpoolDrainer>.Instance);

        var delivered = await drainer.DrainAsync((hook, ct) => ingest.IngestAsync(hook.Input, hook.SpoolId, hook.SpooledAt, ct));

        Assert.Equal(2, delivered);
        Assert.Equal(0, drainer.Count());
        Assert.Single(System.IO.Directory.EnumerateFiles(Path.Combine(spool.Directory, "rejected")));
        var stored = await host.Pipeline.Store.ReadAsync(new EventQuery(), default);
        Assert.Equal(["claude_hook", "agent_activity", "claude_hook", "agent_activity", "session_update"], stored.Select(e => e.Type));
        Assert.Equal(t0, stored[0].Timestamp);
        Assert.Equal(t0.AddSeconds(2), stored[^1].Timestamp);
    }

    public void Dispose() => _temp.Dispose();
}
