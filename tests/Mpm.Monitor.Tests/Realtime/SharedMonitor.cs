using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests.Realtime;

/// <summary>
/// One real mpm (in-memory store, Docker off) shared by the tests of a class, which run one at a
/// time. No metrics, so the only events are the tests' own; room for more connections than the
/// default 10, since closed polling sessions linger a moment; a max_payload of 100,000 bytes
/// (<see cref="MaxPayload"/>) so the too-large path is cheap to reach.
/// </summary>
public sealed class SharedMonitor : IAsyncLifetime
{
    public const int MaxPayload = 100_000;

    public static readonly string ConfigYaml = MonitorProcessOptions.DefaultConfigYaml
        + $"\n  websocket:\n    max_connections: 200\n    max_payload: {MaxPayload}\n  metrics:\n    enabled: false\n";

    public MonitorProcess Monitor { get; private set; } = null!;

    public string Url => Monitor.Url.ToString();

    public async Task InitializeAsync() => Monitor = await MonitorProcess.StartAsync(new() { ConfigYaml = ConfigYaml });

    public async Task DisposeAsync() => await Monitor.DisposeAsync();
}
