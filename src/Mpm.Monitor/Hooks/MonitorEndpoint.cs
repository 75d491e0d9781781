using System.Globalization;

namespace Mpm.Monitor.Hooks;

/// <summary>
/// Where the short-lived client commands (<c>mpm hook</c>, <c>mpm emit</c>) find the monitor, from the
/// environment only: <c>MPM_MONITOR_URL</c>, else <c>http://localhost:{MPM_MONITORING__PORT or 5000}</c>;
/// the token from <c>MPM_MONITOR_TOKEN</c>.
/// </summary>
/// <remarks>
/// The configuration file is deliberately not read: loading YamlDotNet and parsing YAML costs more
/// than <c>mpm hook</c>'s whole 100 ms budget, and <c>mpm run --monitor -- COMMAND</c> hands its
/// children <c>MPM_MONITOR_URL</c> anyway. The base URL is kept as a string (always ending in
/// <c>/</c>): constructing a <see cref="Uri"/> costs <c>mpm hook</c> about 10 ms of start-up.
/// </remarks>
internal sealed record MonitorEndpoint(string BaseUrl, string? Token)
{
    internal const int DefaultPort = 5000;

    internal static MonitorEndpoint FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var token = environment("MPM_MONITOR_TOKEN") is { Length: > 0 } t ? t : null;
        if (environment("MPM_MONITOR_URL") is { Length: > 0 } url
            && (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            && url.IndexOfAny([' ', '\r', '\n', '\t']) < 0)
            return new MonitorEndpoint(url.EndsWith('/') ? url : url + "/", token);
        var port = environment("MPM_MONITORING__PORT") is { } p
                   && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 65536
            ? n : DefaultPort;
        return new MonitorEndpoint($"http://localhost:{port.ToString(CultureInfo.InvariantCulture)}/", token);
    }

    internal string Resolve(string relativePath) => BaseUrl + relativePath;
}
