using Microsoft.Extensions.Options;
using Mpm.Monitor.Configuration;
using Mpm.Monitor.SocketIO;

namespace Mpm.Monitor.Security;

/// <summary>Registers and installs the monitor's security rules (SECURITY.md describes them).</summary>
internal static class SecurityServices
{
    /// <summary>Client-to-server Socket.IO events each socket may send per second, on average, before they are refused.</summary>
    public const double EventsPerSecond = 100;

    /// <summary>Events a socket may send at once above <see cref="EventsPerSecond"/>.</summary>
    public const int EventBurst = 200;

    public static IServiceCollection AddMonitorSecurity(this IServiceCollection services)
    {
        services.AddSingleton(sp => new AccessToken(Monitoring(sp).Auth.Token));
        services.AddSingleton(sp => new HostAllowList(Monitoring(sp).Host));
        services.AddSingleton(sp => new OriginPolicy(Monitoring(sp).Auth.AllowedOrigins));
        services.AddSingleton<RequestGuard>();
        services.AddSingleton<SocketGuard>();
        services.Configure<SocketIOServerOptions>(io =>
        {
            io.InboundEventRate = EventsPerSecond;
            io.InboundEventBurst = EventBurst;
        });
        return services;
    }

    /// <summary>
    /// Installs the HTTP checks (call right after UseRouting) and the Socket.IO ones (its first namespace
    /// middleware, so any later middleware or connection handler sees only authenticated sockets).
    /// </summary>
    public static IApplicationBuilder UseMonitorSecurity(this IApplicationBuilder app)
    {
        app.ApplicationServices.GetRequiredService<SocketGuard>().Attach(app.ApplicationServices.GetRequiredService<SocketIOServer>());
        var guard = app.ApplicationServices.GetRequiredService<RequestGuard>();
        return app.Use((context, next) => guard.InvokeAsync(context, next));
    }

    private static MonitoringOptions Monitoring(IServiceProvider services) =>
        services.GetRequiredService<IOptions<MonitoringOptions>>().Value;
}
