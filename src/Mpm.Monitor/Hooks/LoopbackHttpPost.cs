using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mpm.Monitor.Hooks;

/// <summary>
/// One HTTP/1.1 POST over a bare socket, returning the response status code.
/// </summary>
/// <remarks>
/// <c>mpm hook</c> runs once per tool call and has 100 ms in all; HttpClient's handler stack
/// (connection pool, header collections, the HTTP/2-3 machinery) costs tens of milliseconds of
/// start-up JIT before the first byte is sent. Posting to a monitor on this machine needs none of it:
/// a request line, four headers, the body, and the status line of the answer. Plain http only
/// (https goes through HttpClient in <see cref="HookForwarder"/>).
/// </remarks>
internal static class LoopbackHttpPost
{
    internal static async Task<int> PostAsync(Uri url, ReadOnlyMemory<byte> body, IEnumerable<KeyValuePair<string, string>> headers,
        CancellationToken cancellationToken)
    {
        if (url.Scheme != "http") throw new ArgumentException($"not an http URL: {url}", nameof(url));
        var request = new StringBuilder(256)
            .Append("POST ").Append(url.PathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(url.Authority).Append("\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Connection: close\r\n");
        foreach (var (name, value) in headers) request.Append(name).Append(": ").Append(value).Append("\r\n");
        request.Append("\r\n");
        var head = Encoding.ASCII.GetBytes(request.ToString());

        using var socket = await ConnectAsync(url, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(head, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        if (!body.IsEmpty) await socket.SendAsync(body, SocketFlags.None, cancellationToken).ConfigureAwait(false);

        var buffer = new byte[512];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            filled += read;
            if (buffer.AsSpan(0, filled).IndexOf("\r\n"u8) >= 0) break;
        }
        return ParseStatus(buffer.AsSpan(0, filled));
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

    private static async Task<Socket> ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        // "localhost" is resolved here, not by the resolver: both loopbacks, IPv4 first, as Kestrel binds both.
        IPAddress[] addresses = url.IsLoopback && !IPAddress.TryParse(url.IdnHost, out _)
            ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : IPAddress.TryParse(url.IdnHost, out var literal) ? [literal]
            : await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken).ConfigureAwait(false);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, url.Port), cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}
