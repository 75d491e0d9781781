using System.Net;
using System.Net.Sockets;

namespace Mpm.Monitor.Tests.Infrastructure;

/// <summary>Ports for tests that must name one (precedence, port in use).</summary>
public static class FreePort
{
    /// <summary>A port free on 127.0.0.1 and ::1 right now (it may be taken again later; use at once).</summary>
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
