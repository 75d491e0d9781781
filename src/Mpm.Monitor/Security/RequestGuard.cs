using Microsoft.Net.Http.Headers;

namespace Mpm.Monitor.Security;

/// <summary>
/// The HTTP checks, in order: Host allow-list (loopback binds), Origin (CORS for allowed origins, 403 for
/// foreign ones), token. Runs after routing, so "needs a token" is decided by what the request reaches:
/// every API endpoint does, except <c>/health</c>; the dashboard's static files (no endpoint) and
/// <c>/socket.io/</c> (its token is in the Socket.IO handshake) do not.
/// </summary>
internal sealed class RequestGuard(AccessToken token, HostAllowList hosts, OriginPolicy origins, ILogger<RequestGuard> logger)
{
    public const string SocketIOPath = "/socket.io";
    private const string ApiKeyHeader = "X-API-Key";

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!hosts.Allows(request.Host))
        {
            SecurityLog.HostRefused(logger, request.Host.Value ?? "");
            return SecurityError.Of("host_not_allowed",
                $"Host '{request.Host.Value}' is not a loopback name; this monitor is bound to loopback and answers only to " +
                "localhost, 127.0.0.1 or [::1] (DNS-rebinding protection). To reach it under another name, bind it to that host with an auth token.")
                .WriteAsync(context, StatusCodes.Status403Forbidden);
        }
        if (request.Path.StartsWithSegments(SocketIOPath))
        {
            return next(context); // the Socket.IO server checks Origin itself; the token comes with the CONNECT packet
        }

        var endpoint = context.GetEndpoint();
        var preflight = OriginPolicy.IsPreflight(request);
        if (endpoint is null && !preflight)
        {
            return next(context); // the dashboard's static files, or a 404
        }
        switch (origins.Evaluate(context))
        {
            case OriginVerdict.Foreign:
                SecurityLog.OriginRefused(logger, request.Headers.Origin.ToString(), request.Path);
                return SecurityError.Of("origin_not_allowed",
                    $"Origin '{request.Headers.Origin}' may not call this monitor; add it to monitoring.auth.allowed_origins to allow it")
                    .WriteAsync(context, StatusCodes.Status403Forbidden);
            case OriginVerdict.Allowed:
                OriginPolicy.AddCorsHeaders(context);
                break;
        }
        if (preflight)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }
        if (token.Required && !IsOpen(request) && !token.Matches(PresentedToken(request)))
        {
            var presented = request.Headers.ContainsKey(HeaderNames.Authorization) || request.Headers.ContainsKey(ApiKeyHeader);
            SecurityLog.Unauthorized(logger, request.Method, request.Path, presented);
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return SecurityError.Of("unauthorized", presented
                    ? "the token is wrong"
                    : "this monitor requires a token: send 'Authorization: Bearer <token>' or 'X-API-Key: <token>'")
                .WriteAsync(context, StatusCodes.Status401Unauthorized);
        }
        return next(context);
    }

    private static bool IsOpen(HttpRequest request) => request.Path.Equals("/health", StringComparison.OrdinalIgnoreCase);

    private static string? PresentedToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }
        return request.Headers[ApiKeyHeader].ToString() is { Length: > 0 } key ? key : null;
    }
}
