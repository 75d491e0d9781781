using Mpm.Monitor.Testing;

namespace Mpm.Monitor.Tests.Realtime;

/// <summary>
/// CONTRACT §6 with the official socket.io-client (4.8 over Engine.IO v4, and 2.x over v3) against
/// the real mpm: each test runs one scenario of tests/interop/monitor-v4.mjs or monitor-v2.cjs,
/// which asserts the details and exits non-zero with the reason.
/// </summary>
public sealed class JavaScriptClientTests(SharedMonitor shared) : IClassFixture<SharedMonitor>
{
    private static readonly TimeSpan ScriptLimit = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("subscriptions")]
    [InlineData("no-ack")]
    [InlineData("get-state")]
    [InlineData("emit")]
    [InlineData("bad-input")]
    [InlineData("bad-resume")]
    public async Task Socket_io_client_4(string scenario)
    {
        var output = await NodeScript.RunToSuccessAsync(ScriptLimit, "monitor-v4.mjs", shared.Url, scenario, SharedMonitor.MaxPayload.ToString());
        Assert.Contains($"PASS {scenario}", output);
    }

    [Fact]
    public async Task Replay_after_reconnects_under_load_is_contiguous_without_duplicates()
    {
        var output = await NodeScript.RunToSuccessAsync(ScriptLimit, "monitor-v4.mjs", shared.Url, "replay-under-load", "4");
        Assert.Contains("PASS replay-under-load", output);
    }

    [Fact]
    public async Task A_replay_larger_than_the_outgoing_queue_arrives_whole_over_both_transports()
    {
        var output = await NodeScript.RunToSuccessAsync(ScriptLimit, "monitor-v4.mjs", shared.Url, "replay-large", "5000");
        Assert.Contains("PASS replay-large", output);
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task Legacy_socket_io_client_2_receives_subscribes_and_resumes_with_the_query(string transport)
    {
        var output = await NodeScript.RunToSuccessAsync(ScriptLimit, "monitor-v2.cjs", shared.Url, transport);
        Assert.Contains($"PASS v2 {transport}", output);
    }
}
