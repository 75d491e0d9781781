namespace Mpm.Monitor.SocketIO.Tests;

/// <summary>The official JavaScript clients, run by node against the real server: events, acks both ways, binary, rooms, reconnect.</summary>
public sealed class JavaScriptClientInteropTests
{
    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    [InlineData("upgrade")]
    public async Task SocketIO_client_4_8(string mode)
    {
        await using var host = await TestHost.StartAsync(setup: InteropServer.Configure);
        var (exitCode, output) = await NodeScript.RunAsync("client-v4.mjs", host.BaseUri.ToString(), mode);
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
        var (exitCode, output) = await NodeScript.RunAsync("client-v2.cjs", host.BaseUri.ToString(), mode);
        Assert.True(exitCode == 0, output);
        Assert.Contains($"PASS {mode}", output);
    }
}
