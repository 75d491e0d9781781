using System.Security.Cryptography;
using System.Text;

namespace Mpm.Monitor.Security;

/// <summary>
/// The configured token (monitoring.auth.token or MPM_MONITOR_TOKEN). Presented tokens are compared
/// as SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the
/// content nor the length of the token leaks through response timing.
/// </summary>
internal sealed class AccessToken
{
    private readonly byte[]? _digest;

    public AccessToken(string configured) =>
        _digest = configured.Length == 0 ? null : SHA256.HashData(Encoding.UTF8.GetBytes(configured));

    /// <summary>False when no token is configured: everything is open (allowed on loopback only).</summary>
    public bool Required => _digest is not null;

    public bool Matches(string? presented)
    {
        if (_digest is null)
        {
            return true;
        }
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        return CryptographicOperations.FixedTimeEquals(digest, _digest);
    }
}
