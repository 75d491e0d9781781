using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mpm.Monitor.Testing;

namespace Mpm.Monitor.SocketIO.Tests;

/// <summary>A real Kestrel on 127.0.0.1:0 with the library mounted at /socket.io/, and the log lines it wrote.</summary>
internal sealed class TestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestHost(WebApplication app, Uri baseUri, RecordingLoggerProvider logs)
    {
        _app = app;
        BaseUri = baseUri;
        Logs = logs;
        Io = app.Services.GetRequiredService<SocketIOServer>();
        Http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUri { get; }

    public SocketIOServer Io { get; }

    public HttpClient Http { get; }

    public RecordingLoggerProvider Logs { get; }

    public Uri WebSocketUri(string query) => new($"ws://{BaseUri.Authority}/socket.io/?{query}");

    public static async Task<TestHost> StartAsync(Action<SocketIOServerOptions>? configure = null, Action<SocketIOServer>? setup = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var logs = new RecordingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSocketIO(configure);
        var app = builder.Build();
        app.MapSocketIO("/socket.io");
        setup?.Invoke(app.Services.GetRequiredService<SocketIOServer>());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestHost(app, new Uri(address), logs);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
