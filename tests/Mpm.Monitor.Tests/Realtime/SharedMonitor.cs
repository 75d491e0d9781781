using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests.Realtime;

/// <summary>One real mpm (in-memory store, Docker off) shared by the tests of a class, which run one at a time.</summary>
public sealed class SharedMonitor : IAsyncLifetime
{
    public MonitorProcess Monitor { get; private set; } = null!;

    public string Url => Monitor.Url.ToString();

    public async Task InitializeAsync() => Monitor = await MonitorProcess.StartAsync();

    public async Task DisposeAsync() => await Monitor.DisposeAsync();
}
