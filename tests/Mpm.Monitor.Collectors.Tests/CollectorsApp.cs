using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mpm.Monitor.Http;
using Mpm.Monitor.Testing;

namespace Mpm.Monitor.Collectors.Tests;

/// <summary>A real Kestrel on 127.0.0.1:0 with the collectors and their endpoints, as the monitor wires them.</summary>
internal sealed class CollectorsApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CollectorsApp(WebApplication app, RecordingEventSink events, RecordingLoggerProvider logs)
    {
        _app = app;
        Events = events;
        Logs = logs;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Http { get; }

    public RecordingEventSink Events { get; }

    public RecordingLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<CollectorsApp> StartAsync(Action<CollectorOptions> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var logs = new RecordingLoggerProvider(LogLevel.Information);
        builder.Logging.ClearProviders().AddProvider(logs);
        var events = new RecordingEventSink();
        builder.Services.AddSingleton<IEventSink>(events);
        builder.Services.AddCollectors(configure);
        var app = builder.Build();
        app.MapContainerEndpoints();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new CollectorsApp(app, events, logs);
    }

    public async Task<(int Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
