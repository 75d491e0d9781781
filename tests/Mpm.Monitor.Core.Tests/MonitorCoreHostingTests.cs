using Microsoft.Extensions.Options;
using Mpm.Monitor.Core.Tests.Support;

namespace Mpm.Monitor.Core.Tests;

public sealed class MonitorCoreHostingTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_storage_path_that_cannot_be_opened_fails_start_up_naming_it()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => CoreHost.StartAsync(_dir.Path));
        Assert.Contains($"cannot open the event store \"{_dir.Path}\" (storage.path)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 1_000_000, "", "storage.retention_days must be 0 (keep forever) or more, not -1")]
    [InlineData(7, 100, "", "websocket.max_payload must be at least 1024 bytes, not 100")]
    [InlineData(7, 1_000_000, " ", "storage.path must not be empty")]
    public async Task Bad_options_fail_start_up_naming_the_setting(int retentionDays, int maxPayload, string path, string message)
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => CoreHost.StartAsync(
            _dir.File("x.db"),
            configure: o =>
            {
                o.RetentionDays = retentionDays;
                o.MaxPayloadBytes = maxPayload;
                if (path.Length > 0)
                {
                    o.StoragePath = path;
                }
            }));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_prunes_old_events_in_the_background()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow - TimeSpan.FromDays(10));
        string path = _dir.File("retention.db");
        await using (var host = await CoreHost.StartAsync(path, clock, configure: o => o.RetentionDays = 0))
        {
            await host.Dashboard.EmitAsync("old", new { });
            clock.Advance(TimeSpan.FromDays(10));
            await host.Dashboard.EmitAsync("recent", new { });
        }

        // Retention runs as soon as the host starts, then every interval.
        await using var pruning = await CoreHost.StartAsync(path, clock, configure: o => o.RetentionDays = 7);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await pruning.Pipeline.Store.CountAsync(default) != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the old event was not pruned within 60 s");
            await Task.Delay(20);
        }

        var left = await pruning.Pipeline.Store.ReadAsync(new Storage.EventQuery(), default);
        Assert.Equal("recent", Assert.Single(left).Type);
    }
}
