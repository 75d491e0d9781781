using Microsoft.Playwright;
using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Browser.Tests.Infrastructure;

/// <summary>
/// One real <c>mpm</c> and one Chromium for a test class; each test opens its own context and page
/// (<see cref="OpenPageAsync"/>). Events the tests post stay in the monitor, so tests use names of
/// their own (<see cref="Unique"/>) rather than counting what is there.
/// </summary>
public class DashboardFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    /// <summary>
    /// The defaults of MonitorProcess (loopback, any port, events in memory, Docker off), with a host
    /// sample every 2 s so the host view has real figures (and network rates) soon without the
    /// samples pushing a test's rows out of the timeline's view, and room for the pages a class opens.
    /// </summary>
    public const string BaseConfigYaml = """
        monitoring:
          port: 0
          websocket:
            max_connections: 50
          metrics:
            interval: 2
          docker:
            enabled: false
          storage:
            path: ":memory:"
          logging:
            level: INFO
            file: "~/logs/mpm.log"
        """;

    internal MonitorProcess Monitor { get; private set; } = null!;

    internal IBrowser Browser { get; private set; } = null!;

    /// <summary>The token the monitor requires, or null.</summary>
    public virtual string? Token => null;

    protected virtual string ConfigYaml => BaseConfigYaml;

    public Uri Url => Monitor.Url;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(30_000);
        // Chromium first: a missing browser fails at once, without starting a monitor.
        (_playwright, Browser) = await Chromium.LaunchAsync();
        Monitor = await MonitorProcess.StartAsync(new MonitorProcessOptions { ConfigYaml = ConfigYaml });
    }

    internal Task<DashboardPage> OpenPageAsync(DashboardPageOptions? options = null) => DashboardPage.OpenAsync(Browser, Url, options);

    internal Task<long[]> PostAsync(params (string Name, object Data)[] events) => MonitorEvents.PostAsync(Monitor.Http, Token, events);

    internal Task<long> PostOneAsync(string name, object data) => MonitorEvents.PostOneAsync(Monitor.Http, Token, name, data);

    /// <summary>A name no other test uses, e.g. "agent-3f9a1c".</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (Monitor is not null)
        {
            await Monitor.DisposeAsync();
        }
    }
}
