using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mpm.Monitor.Hooks;

/// <summary>
/// One HTTP/1.1 POST over a bare, synchronous socket, returning the response status code.
/// </summary>
/// <remarks>
/// <c>mpm hook</c> runs once per tool call and has 100 ms in all, most of which the runtime's own
/// start takes. HttpClient's handler stack (connection pool, header collections, HTTP/2-3, async
/// state machines on the thread pool) costs tens of milliseconds of start-up JIT before the first
/// byte is sent; posting to a monitor on this machine needs none of it: a request line, a few
/// headers, the body, and the status line of the answer. Synchronous calls with socket timeouts
/// keep the thread pool and the socket event loop from ever starting. Plain http only (https goes
/// through HttpClient in <see cref="HookForwarder"/>).
/// </remarks>
internal static class LoopbackHttpPost
{
    /// <exception cref="TimeoutException">connect, send and answer did not fit in <paramref name="deadline"/>.</exception>
    /// <exception cref="SocketException">refused, reset, unreachable.</exception>
    /// <exception cref="IOException">the answer is not HTTP.</exception>
    internal static int Post(HttpTarget url, ReadOnlySpan<byte> body, IEnumerable<KeyValuePair<string, string>> headers, TimeSpan deadline)
    {
        var expires = Environment.TickCount64 + (long)deadline.TotalMilliseconds;
        var request = new StringBuilder(256)
            .Append("POST ").Append(url.PathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(url.Authority).Append("\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Connection: close\r\n");
        foreach (var (name, value) in headers) request.Append(name).Append(": ").Append(value).Append("\r\n");
        request.Append("\r\n");
        var head = Encoding.ASCII.GetBytes(request.ToString());

        using var socket = Connect(url, expires);
        socket.SendTimeout = Remaining(expires);
        socket.Send(head);
        if (!body.IsEmpty) socket.Send(body);

        Span<byte> buffer = stackalloc byte[512];
        var filled = 0;
        while (filled < buffer.Length)
        {
            socket.ReceiveTimeout = Remaining(expires);
            int read;
            try
            {
                read = socket.Receive(buffer[filled..]);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                throw new TimeoutException("the monitor did not answer in time", e);
            }
            if (read == 0) break;
            filled += read;
            if (buffer[..filled].IndexOf("\r\n"u8) >= 0) break;
        }
        return ParseStatus(buffer[..filled]);
    }

    /// <summary>The status code of an HTTP/1.x status line, or throws when there is none.</summary>
    internal static int ParseStatus(ReadOnlySpan<byte> response)
    {
        // "HTTP/1.1 202 Accepted"
        if (response.Length >= 12 && response.StartsWith("HTTP/1."u8) && response[8] == (byte)' '
            && int.TryParse(response.Slice(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            return status;
        throw new IOException("the monitor's answer is not an HTTP/1.x response");
    }

    private static Socket Connect(HttpTarget url, long expires)
    {
        // "localhost" is resolved here, not by the resolver: both loopbacks, IPv4 first, as Kestrel binds both.
        var addresses = url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : IPAddress.TryParse(url.Host, out var literal) ? [literal]
            : Dns.GetHostAddresses(url.Host);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                ConnectWithin(socket, new IPEndPoint(address, url.Port), expires);
                return socket;
            }
            catch (Exception e) when (e is SocketException or TimeoutException)
            {
                socket.Dispose();
                last = e;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private static void ConnectWithin(Socket socket, IPEndPoint endpoint, long expires)
    {
        // On loopback a connect is answered at once (accepted into the backlog, or refused): block, and
        // spare the common path the first-chance exception a non-blocking connect always raises.
        if (IPAddress.IsLoopback(endpoint.Address))
        {
            socket.Connect(endpoint);
            return;
        }
        // Elsewhere a blocking connect to an address that drops packets would wait for the OS's own timeout (minutes).
        socket.Blocking = false;
        try
        {
            socket.Connect(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            if (!socket.Poll(TimeSpan.FromMilliseconds(Remaining(expires)), SelectMode.SelectWrite))
                throw new TimeoutException("could not connect to the monitor in time");
            if (socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error) is int error && error != 0)
                throw new SocketException(error);
        }
        socket.Blocking = true;
    }

    /// <summary>Milliseconds left until <paramref name="expires"/>, at least 1 (0 would mean "no timeout" to a socket).</summary>
    private static int Remaining(long expires)
    {
        var left = expires - Environment.TickCount64;
        if (left <= 0) throw new TimeoutException("the deadline passed");
        return (int)Math.Min(left, int.MaxValue);
    }
}
