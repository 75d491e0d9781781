using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Mpm.Monitor.SocketIO.Engine;

namespace Mpm.Monitor.SocketIO;

/// <summary>
/// The Socket.IO server: namespaces on top of Engine.IO connections. Get it from DI after
/// <c>AddSocketIO</c>; mount it with <c>MapSocketIO</c>.
/// </summary>
public sealed class SocketIOServer
{
    private readonly ConcurrentDictionary<string, Namespace> _namespaces = new(StringComparer.Ordinal);

    internal SocketIOServer(SocketIOServerOptions options, ILogger<SocketIOServer> logger, TimeProvider timeProvider)
    {
        Options = options;
        Logger = logger;
        TimeProvider = timeProvider;
        Engine = new EngineServer(options, logger, timeProvider, (engine, context) => new SioConnection(this, engine, context));
        Sockets = Of("/");
    }

    /// <summary>The default namespace, "/".</summary>
    public Namespace Sockets { get; }

    /// <summary>Engine.IO connections open now (each may hold sockets in several namespaces).</summary>
    public int ConnectionCount => Engine.ConnectionCount;

    internal SocketIOServerOptions Options { get; }

    internal ILogger Logger { get; }

    internal TimeProvider TimeProvider { get; }

    internal EngineServer Engine { get; }

    /// <summary>Gets or creates a namespace. Clients may connect only to namespaces created here.</summary>
    public Namespace Of(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name[0] != '/' || name.Contains(',') || name.Contains('?'))
            throw new ArgumentException($"A namespace name starts with '/' and contains no ',' or '?' (was '{name}').", nameof(name));
        return _namespaces.GetOrAdd(name, static (n, server) => new Namespace(server, n), this);
    }

    internal bool TryGetNamespace(string name, [NotNullWhen(true)] out Namespace? ns) => _namespaces.TryGetValue(name, out ns);
}
