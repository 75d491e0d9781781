using System.Net;
using Mpm.Monitor.Hosting;

namespace Mpm.Monitor.Security;

/// <summary>
/// DNS-rebinding protection: a page on evil.example whose name is made to resolve to 127.0.0.1 reaches a
/// loopback-bound monitor as same-origin, but its requests carry <c>Host: evil.example</c>. On a loopback
/// bind only loopback names are accepted (localhost, *.localhost, 127.0.0.0/8, [::1], and the configured
/// host), with any port. On other binds the token is what protects, and any Host passes.
/// </summary>
internal sealed class HostAllowList
{
    private readonly string? _configuredHost;

    public HostAllowList(string configuredHost)
    {
        Enabled = ListenAddresses.IsLoopback(configuredHost);
        _configuredHost = configuredHost.Trim('[', ']');
    }

    public bool Enabled { get; }

    public bool Allows(HostString host)
    {
        if (!Enabled)
        {
            return true;
        }
        if (!host.HasValue)
        {
            // HTTP/1.0 without Host: no browser sends that, so no page can be behind it.
            return true;
        }
        var name = host.Host.Trim('[', ']').TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || name.Equals(_configuredHost, StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }
}
