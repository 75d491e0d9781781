using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mpm.Monitor.Tests.Hooks;

/// <summary>
/// A real Kestrel on 127.0.0.1:0 standing in for the monitor's ingest endpoints until the pipeline is
/// wired: it records what arrives and answers with <see cref="Status"/>.
/// </summary>
internal sealed class TinyMonitor : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TinyMonitor(WebApplication app) => _app = app;

    internal ConcurrentQueue<(string Path, IHeaderDictionary Headers, byte[] Body)> Received { get; } = new();

    internal int Status { get; set; } = StatusCodes.Status202Accepted;

    internal string ResponseBody { get; set; } = """{"accepted":1,"ids":[42]}""";

    internal Uri BaseUrl { get; private set; } = null!;

    internal static async Task<TinyMonitor> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var monitor = new TinyMonitor(app);
        RequestDelegate record = async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            monitor.Received.Enqueue((context.Request.Path, new HeaderDictionary(context.Request.Headers.ToDictionary()), body.ToArray()));
            context.Response.StatusCode = monitor.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(monitor.ResponseBody);
        };
        app.MapPost("/api/hooks/claude", record);
        app.MapPost("/api/events", record);
        app.MapGet("/health", () => "{}");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        monitor.BaseUrl = new Uri(address + "/");
        // A real monitor is warm when hooks arrive: take the server's first-request JIT out of mpm hook's 65 ms deadline.
        using var client = new HttpClient();
        (await client.GetAsync(new Uri(monitor.BaseUrl, "health"))).EnsureSuccessStatusCode();
        return monitor;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
