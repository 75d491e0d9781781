using System.Net;
using System.Net.Sockets;

namespace Mpm.Monitor.Hosting;

/// <summary>
/// Turns <c>monitoring.host</c> into the addresses Kestrel listens on. <c>localhost</c> means
/// 127.0.0.1 and, when this machine has IPv6 loopback, ::1 — nothing else.
/// </summary>
internal static class ListenAddresses
{
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    public static IReadOnlyList<IPAddress> Resolve(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return HasIPv6Loopback() ? [IPAddress.Loopback, IPAddress.IPv6Loopback] : [IPAddress.Loopback];
        }
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return [literal];
        }
        return Dns.GetHostAddresses(host);
    }

    /// <summary>
    /// With port 0 and several addresses every address must get the same port, which Kestrel
    /// cannot do by itself: find one that is free on all of them.
    /// </summary>
    public static int ChooseFreePort(IReadOnlyList<IPAddress> addresses)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var first = new Socket(addresses[0].AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            first.Bind(new IPEndPoint(addresses[0], 0));
            var port = ((IPEndPoint)first.LocalEndPoint!).Port;
            var others = new List<Socket>();
            try
            {
                foreach (var address in addresses.Skip(1))
                {
                    var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                    others.Add(socket);
                    socket.Bind(new IPEndPoint(address, port));
                }
                return port;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 20)
            {
                // Taken on another address: try another port.
            }
            finally
            {
                others.ForEach(s => s.Dispose());
            }
        }
    }

    private static bool HasIPv6Loopback()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return false;
        }
        try
        {
            using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
