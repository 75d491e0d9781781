using Mpm.Monitor.Core.Pipeline;
using Mpm.Monitor.SocketIO;

namespace Mpm.Monitor.Realtime;

/// <summary>Registers and attaches the monitor's Socket.IO behaviour (CONTRACT §6).</summary>
internal static class RealtimeHosting
{
    public static IServiceCollection AddRealtime(this IServiceCollection services)
    {
        services.AddSingleton<SocketEventBroadcaster>();
        services.AddSingleton<IEventBroadcaster>(sp => sp.GetRequiredService<SocketEventBroadcaster>());
        services.AddSingleton<StateReply>();
        services.AddSingleton<RealtimeConnections>();
        return services;
    }

    /// <summary>Handles connections to the <c>/</c> namespace; call once the app is built.</summary>
    public static WebApplication UseRealtime(this WebApplication app)
    {
        app.Services.GetRequiredService<RealtimeConnections>().Attach(app.Services.GetRequiredService<SocketIOServer>().Sockets);
        return app;
    }
}
