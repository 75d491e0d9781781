using System.Runtime.CompilerServices;
using Mpm.Monitor.SocketIO;

namespace Mpm.Monitor.Security;

/// <summary>
/// Socket.IO side of the rules. The token is checked in namespace middleware, so every client, whatever
/// its protocol, gets the same clear CONNECT_ERROR ("unauthorized") rather than a bare HTTP failure of the
/// Engine.IO handshake: v5 clients send it as <c>auth.token</c>; legacy (v3) clients and others that cannot
/// send auth, as <c>?token=</c> on the connection URL; an <c>Authorization: Bearer</c> header on the
/// handshake is accepted too. Events refused by the per-socket rate limit are answered with
/// <c>rate_limited</c>: every one that asked for an acknowledgement gets it as its acknowledgement; for the
/// others one <c>monitor_error</c> a second is enough (one per refused event would let a flooding client make
/// the server write as much as it sends).
/// </summary>
internal sealed class SocketGuard(AccessToken token, ILogger<SocketGuard> logger)
{
    public const string ErrorEvent = "monitor_error";
    private const long NoticeIntervalMs = 1000;
    private readonly ConditionalWeakTable<Socket, StrongBox<long>> _lastNotice = new();

    public void Attach(SocketIOServer io)
    {
        io.Sockets.Use(Authenticate);
        io.Sockets.OnRateLimited(Refuse);
    }

    private ValueTask Authenticate(SocketConnectingContext context)
    {
        if (!token.Required)
        {
            return ValueTask.CompletedTask;
        }
        var presented = PresentedToken(context.Socket.Handshake);
        if (!token.Matches(presented))
        {
            SecurityLog.SocketUnauthorized(logger, context.Socket.Handshake.RemoteAddress?.ToString() ?? "?", presented is not null);
            context.Reject("unauthorized", SecurityError.Of("unauthorized", presented is null
                ? "this monitor requires a token: pass it as auth.token (or ?token= for clients without auth)"
                : "the token is wrong").Error);
        }
        return ValueTask.CompletedTask;
    }

    private static string? PresentedToken(Handshake handshake)
    {
        if (handshake.Auth is { ValueKind: System.Text.Json.JsonValueKind.Object } auth
            && auth.TryGetProperty("token", out var fromAuth) && fromAuth.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            return fromAuth.GetString();
        }
        if (handshake.Query["token"].ToString() is { Length: > 0 } fromQuery)
        {
            return fromQuery;
        }
        var authorization = handshake.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    private void Refuse(SocketEvent refused)
    {
        var error = SecurityError.Of("rate_limited",
            $"'{refused.Name}' refused: more than {SecurityServices.EventsPerSecond} events per second (burst {SecurityServices.EventBurst}); slow down").Error;
        SecurityLog.RateLimited(logger, refused.Socket.Id, refused.Name);
        if (refused.HasAck)
        {
            _ = refused.AckAsync(new { error });
        }
        else if (ShouldNotify(refused.Socket))
        {
            refused.Socket.Emit(ErrorEvent, new { error });
        }
    }

    private bool ShouldNotify(Socket socket)
    {
        var now = Environment.TickCount64;
        var last = _lastNotice.GetValue(socket, static _ => new StrongBox<long>(long.MinValue / 2));
        var previous = Volatile.Read(ref last.Value);
        return now - previous >= NoticeIntervalMs && Interlocked.CompareExchange(ref last.Value, now, previous) == previous;
    }
}
