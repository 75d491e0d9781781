using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Mpm.Monitor.Configuration;
using Microsoft.Extensions.Options;
using Mpm.Monitor.Http;
using Mpm.Monitor.Realtime;
using Mpm.Monitor.Security;
using Mpm.Monitor.SocketIO;
using Serilog;

namespace Mpm.Monitor.Hosting;

/// <summary>Builds the monitor's web application: Kestrel on the configured host only, logging, endpoints, dashboard.</summary>
internal static class MonitorApplication
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    public static WebApplication Build(LoadedConfiguration configuration, Serilog.ILogger logger)
    {
        var monitoring = configuration.Monitoring;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(MonitorApplication).Assembly.GetName().Name,
        });

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: false);

        var addresses = ListenAddresses.Resolve(monitoring.Host);
        var port = monitoring.Port == 0 && addresses.Count > 1 ? ListenAddresses.ChooseFreePort(addresses) : monitoring.Port;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = IngestResponses.MaxBodyBytes;
            foreach (var address in addresses)
            {
                kestrel.Listen(address, port);
            }
        });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.Services.AddMonitorHost(configuration);

        var app = builder.Build();
        Configure(app);
        return app;
    }

    private static void Configure(WebApplication app)
    {
        var requests = app.Services.GetRequiredService<RequestCounter>();
        app.Use((context, next) =>
        {
            requests.Increment();
            return next(context);
        });
        app.UseStatusCodePages(context => ErrorResponses.WriteForStatusAsync(context.HttpContext));
        app.UseRouting();
        app.UseMonitorSecurity();
        app.MapHealthEndpoints();
        app.MapEventEndpoints();
        app.MapHookEndpoints();
        app.MapSessionEndpoints();
        app.MapContainerEndpoints();
        if (app.Services.GetRequiredService<IOptions<MonitoringOptions>>().Value.Websocket.Enabled)
        {
            app.MapSocketIO("/socket.io");
            app.UseRealtime();
        }
        app.UseEndpoints(_ => { });
        app.UseDashboard(app.Environment);
        app.Run(context => ErrorResponses.Error(StatusCodes.Status404NotFound, "not_found",
            $"no such resource: {context.Request.Method} {context.Request.Path}").ExecuteAsync(context));
    }

    /// <summary>Starts listening; a port that cannot be bound becomes <see cref="PortUnavailableException"/>.</summary>
    public static async Task StartAsync(WebApplication app, MonitoringOptions monitoring, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (BindFailure(e) is { } reason)
        {
            throw new PortUnavailableException(monitoring.Host, monitoring.Port, reason, e);
        }
        app.Services.GetRequiredService<MonitorUptime>().MarkStarted();
    }

    /// <summary>The URL to print and to give a child command: the configured host name and the port really bound.</summary>
    public static Uri DashboardUrl(WebApplication app, MonitoringOptions monitoring)
    {
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).First();
        var host = monitoring.Host;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            host = literal.Equals(IPAddress.Any) || literal.Equals(IPAddress.IPv6Any) ? Environment.MachineName
                : literal.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{literal}]"
                : literal.ToString();
        }
        return new UriBuilder("http", host, bound.Port, "/").Uri;
    }

    private static string? BindFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Microsoft.AspNetCore.Connections.AddressInUseException:
                    return "address already in use";
                case System.Net.Sockets.SocketException socket when socket.SocketErrorCode is System.Net.Sockets.SocketError.AddressAlreadyInUse:
                    return "address already in use";
                case System.Net.Sockets.SocketException socket when socket.SocketErrorCode is System.Net.Sockets.SocketError.AccessDenied:
                    return "permission denied (ports below 1024 need root)";
                case System.Net.Sockets.SocketException socket when socket.SocketErrorCode is System.Net.Sockets.SocketError.AddressNotAvailable:
                    return "no such address on this machine";
            }
        }
        return null;
    }
}
