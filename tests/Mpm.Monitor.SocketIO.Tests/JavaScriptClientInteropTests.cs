using Mpm.Monitor.Testing;

namespace Mpm.Monitor.SocketIO.Tests;

/// <summary>The official JavaScript clients, run by node against the real server: events, acks both ways, binary, rooms, reconnect.</summary>
public sealed class JavaScriptClientInteropTests
{
    private static readonly TimeSpan ScriptLimit = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    [InlineData("upgrade")]
    public async Task SocketIO_client_4_8(string mode)
    {
        await using var host = await TestHost.StartAsync(setup: InteropServer.Configure);
        var (exitCode, output) = await NodeScript.RunAsync(ScriptLimit, "client-v4.mjs", host.BaseUri.ToString(), mode);
        Assert.True(exitCode == 0, output);
        Assert.Contains($"PASS {mode}", output);
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    [InlineData("upgrade")]
    public async Task SocketIO_client_2_over_Engine_IO_3(string mode)
    {
        await using var host = await TestHost.StartAsync(setup: InteropServer.Configure);
        var (exitCode, output) = await NodeScript.RunAsync(ScriptLimit, "client-v2.cjs", host.BaseUri.ToString(), mode);
        Assert.True(exitCode == 0, output);
        Assert.Contains($"PASS {mode}", output);
    }
}
