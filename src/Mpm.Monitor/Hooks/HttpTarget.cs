using System.Globalization;

namespace Mpm.Monitor.Hooks;

/// <summary>
/// The parts of a plain <c>http://host[:port]/path</c> URL a bare-socket POST needs, parsed without
/// <see cref="Uri"/> (whose start-up <c>mpm hook</c> cannot afford).
/// </summary>
internal sealed record HttpTarget(string Host, int Port, string PathAndQuery)
{
    /// <summary>The Host header value.</summary>
    internal string Authority => (Host.Contains(':') ? "[" + Host + "]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Null unless <paramref name="url"/> is an absolute http URL with a host (https, credentials, garbage: null).</summary>
    internal static HttpTarget? TryParse(string url)
    {
        const string scheme = "http://";
        if (!url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return null;
        var rest = url.AsSpan(scheme.Length);
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "/" : rest[slash..].ToString();
        if (authority.IsEmpty || authority.Contains('@')) return null;

        ReadOnlySpan<char> host;
        ReadOnlySpan<char> port = default;
        if (authority[0] == '[')
        {
            var close = authority.IndexOf(']');
            if (close < 0) return null;
            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (!after.IsEmpty)
            {
                if (after[0] != ':') return null;
                port = after[1..];
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            if (colon >= 0) port = authority[(colon + 1)..];
        }
        var number = 80;
        if (!port.IsEmpty && !(int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number is > 0 and < 65536))
            return null;
        return host.IsEmpty ? null : new HttpTarget(host.ToString(), number, path);
    }
}
