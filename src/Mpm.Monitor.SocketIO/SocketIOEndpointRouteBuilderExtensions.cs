using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mpm.Monitor.SocketIO.Engine;

namespace Mpm.Monitor.SocketIO;

public static class SocketIOEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves Socket.IO at <paramref name="path"/> (and <c>path/</c>): long-polling GET/POST, WebSocket
    /// (no <c>UseWebSockets</c> needed: the endpoint accepts upgrades itself) and CORS preflight.
    /// At application stopping every connection is closed after its queued packets are sent.
    /// </summary>
    public static IEndpointConventionBuilder MapSocketIO(this IEndpointRouteBuilder endpoints, string path = "/socket.io")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var server = endpoints.ServiceProvider.GetRequiredService<SocketIOServer>();
        return MapEngine(endpoints, path, server.Engine).WithDisplayName("Socket.IO");
    }

    /// <summary>A bare Engine.IO endpoint (the conformance host's echo server).</summary>
    internal static IEndpointConventionBuilder MapEngineIO(this IEndpointRouteBuilder endpoints, string path, Func<EngineConnection, IEngineHandler> handlerFactory)
    {
        var services = endpoints.ServiceProvider;
        var engine = new EngineServer(
            services.GetRequiredService<IOptions<SocketIOServerOptions>>().Value,
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Mpm.Monitor.SocketIO.Engine"),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            (connection, _) => handlerFactory(connection));
        return MapEngine(endpoints, path, engine).WithDisplayName("Engine.IO");
    }

    private static IEndpointConventionBuilder MapEngine(IEndpointRouteBuilder endpoints, string path, EngineServer engine)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var services = endpoints.ServiceProvider;
        services.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(() => engine.CloseAll(CloseReason.ServerShuttingDown));
        // Wrapping the handler in the WebSocket middleware gives the endpoint the WebSocket feature
        // whether or not the application called UseWebSockets (the middleware is a no-op when it did).
        var webSockets = new WebSocketMiddleware(
            context => engine.HandleRequestAsync(context),
            Options.Create(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero }),
            services.GetRequiredService<ILoggerFactory>());
        return endpoints.Map(path.TrimEnd('/') + "/", webSockets.Invoke);
    }
}
