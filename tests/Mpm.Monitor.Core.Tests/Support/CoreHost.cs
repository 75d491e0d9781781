using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mpm.Monitor.Core.Hosting;
using Mpm.Monitor.Core.Pipeline;

namespace Mpm.Monitor.Core.Tests.Support;

/// <summary>The core alone in a generic host (no HTTP), for pipeline and DashboardService tests.</summary>
internal sealed class CoreHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private CoreHost(IHost host)
    {
        _host = host;
    }

    public IServiceProvider Services => _host.Services;

    public EventPipeline Pipeline => Services.GetRequiredService<EventPipeline>();

    public DashboardService Dashboard => Services.GetRequiredService<DashboardService>();

    public static async Task<CoreHost> StartAsync(string storagePath, TimeProvider? clock = null, Action<IServiceCollection>? services = null, Action<MonitorCoreOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        builder.Services.AddMonitorCore(o =>
        {
            o.StoragePath = storagePath;
            o.HostLabel = "test-host";
            configure?.Invoke(o);
        });
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new CoreHost(host);
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
