using Microsoft.Extensions.Primitives;

namespace Mpm.Monitor.Security;

/// <summary>
/// Which browser origins may call the HTTP API: the dashboard's own (same host and port as the request)
/// and <c>monitoring.auth.allowed_origins</c> — never <c>*</c>. A request with any other Origin is refused
/// outright rather than merely denied CORS headers, because a cross-site "simple" POST (text/plain) would
/// otherwise still be delivered and publish events. Requests without Origin (curl, hooks) pass.
/// </summary>
internal sealed class OriginPolicy
{
    private const string AllowedMethods = "GET, POST, OPTIONS";
    private const string DefaultAllowedHeaders = "Authorization, X-API-Key, Content-Type";
    private readonly HashSet<string> _allowed;

    public OriginPolicy(IEnumerable<string> allowedOrigins) =>
        _allowed = new HashSet<string>(allowedOrigins, StringComparer.OrdinalIgnoreCase);

    public OriginVerdict Evaluate(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return OriginVerdict.NoOrigin;
        }
        if (_allowed.Contains(origin))
        {
            return OriginVerdict.Allowed;
        }
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase)
            ? OriginVerdict.SameOrigin
            : OriginVerdict.Foreign;
    }

    /// <summary>CORS headers for an allowed foreign origin; for a preflight also the methods and headers it may use.</summary>
    public static void AddCorsHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = context.Request.Headers.Origin;
        headers.AccessControlAllowCredentials = "true";
        headers.Vary = "Origin";
        if (IsPreflight(context.Request))
        {
            headers.AccessControlAllowMethods = AllowedMethods;
            var requested = context.Request.Headers.AccessControlRequestHeaders;
            headers.AccessControlAllowHeaders = StringValues.IsNullOrEmpty(requested) ? DefaultAllowedHeaders : requested;
            headers.AccessControlMaxAge = "600";
        }
    }

    public static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("Access-Control-Request-Method");
}

internal enum OriginVerdict
{
    NoOrigin,
    SameOrigin,
    Allowed,
    Foreign,
}
