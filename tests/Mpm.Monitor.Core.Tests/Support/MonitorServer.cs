using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mpm.Monitor.Core.Hosting;
using Mpm.Monitor.Core.Pipeline;
using Mpm.Monitor.Http;

namespace Mpm.Monitor.Core.Tests.Support;

/// <summary>
/// A real Kestrel on 127.0.0.1:0 with the core and the event endpoints, as the host will wire them
/// (its full wiring, Socket.IO and collectors, comes later).
/// </summary>
internal sealed class MonitorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MonitorServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public EventPipeline Pipeline => _app.Services.GetRequiredService<EventPipeline>();

    public static async Task<MonitorServer> StartAsync(Action<MonitorCoreOptions> configure, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMonitorCore(configure);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapEventEndpoints();
        app.MapSessionEndpoints();
        await app.StartAsync();
        return new MonitorServer(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
