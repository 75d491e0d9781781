using System.Diagnostics;
using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Storage;
using Mpm.Monitor.Core.Tests.Support;

namespace Mpm.Monitor.Core.Tests;

public sealed class DashboardServiceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task EmitAsync_returns_the_stored_id_and_snake_cases_property_names()
    {
        await using var host = await CoreHost.StartAsync(_dir.File("emit.db"));
        long first = await host.Dashboard.EmitAsync("custom_event", new { message = "hello" });
        long second = await host.Dashboard.EmitAsync("system_stats", new Stats(12.5, 1024));

        Assert.Equal(first + 1, second);
        var stored = await host.Pipeline.Store.ReadAsync(new EventQuery(), default);
        var payload = Json.Parse(stored[0].Payload);
        Assert.Equal(first, payload.GetProperty("id").GetInt64());
        Assert.Equal("custom_event", payload.GetProperty("type").GetString());
        Assert.Equal("test-host", payload.GetProperty("host").GetString());
        Assert.Equal("hello", payload.GetProperty("message").GetString());
        Assert.Equal(12.5, Json.Parse(stored[1].Payload).GetProperty("cpu_percent").GetDouble());
    }

    [Fact]
    public async Task EmitAsync_throws_for_bad_input()
    {
        await using var host = await CoreHost.StartAsync(_dir.File("bad.db"));
        var name = await Assert.ThrowsAsync<EventRejectedException>(() => host.Dashboard.EmitAsync("bad name", new { }));
        Assert.Contains("is not valid", name.Message, StringComparison.Ordinal);
        var notObject = await Assert.ThrowsAsync<EventRejectedException>(() => host.Dashboard.EmitAsync("custom", 42));
        Assert.Contains("data must be a JSON object, not number", notObject.Message, StringComparison.Ordinal);
        var field = await Assert.ThrowsAsync<EventRejectedException>(() => host.Dashboard.EmitAsync("agent_activity", new { agent = "pm", action = "nope" }));
        Assert.Contains("data.action must be one of", field.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Emit_publishes_in_the_background_and_never_throws()
    {
        await using var host = await CoreHost.StartAsync(_dir.File("fire.db"));
        host.Dashboard.Emit("bad name", new { });
        host.Dashboard.Emit("agent_activity", new { agent = "pm" });
        host.Dashboard.Emit("custom_event", new { message = "fire and forget" });

        var watch = Stopwatch.StartNew();
        IReadOnlyList<StoredEvent> stored;
        do
        {
            stored = await host.Pipeline.Store.ReadAsync(new EventQuery(), default);
        }
        while (stored.Count == 0 && watch.Elapsed < TimeSpan.FromSeconds(30) && await Delay());

        Assert.Equal("custom_event", Assert.Single(stored).Type);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(20);
        return true;
    }

    private sealed record Stats(double CpuPercent, long MemoryUsed);
}
