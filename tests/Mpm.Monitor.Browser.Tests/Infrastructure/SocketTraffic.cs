using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Mpm.Monitor.Browser.Tests.Infrastructure;

/// <summary>
/// Everything the page's Socket.IO connection exchanged, in both transports: WebSocket frames,
/// and the bodies of long-polling requests and responses. It tells what the server really sent,
/// which the page's own client-side filtering would hide.
/// </summary>
internal sealed class SocketTraffic
{
    private readonly ConcurrentQueue<string> _received = new();
    private readonly ConcurrentQueue<string> _sent = new();
    private readonly ConcurrentQueue<Task> _pendingBodies = new();

    public void Attach(IPage page)
    {
        page.WebSocket += (_, socket) =>
        {
            if (!socket.Url.Contains("/socket.io/", StringComparison.Ordinal))
            {
                return;
            }
            socket.FrameReceived += (_, frame) => _received.Enqueue(frame.Text ?? "");
            socket.FrameSent += (_, frame) => _sent.Enqueue(frame.Text ?? "");
        };
        page.Request += (_, request) =>
        {
            if (IsPolling(request.Url) && request.Method == "POST" && request.PostData is { } body)
            {
                _sent.Enqueue(body);
            }
        };
        page.Response += (_, response) =>
        {
            if (IsPolling(response.Url) && response.Request.Method == "GET")
            {
                _pendingBodies.Enqueue(ReadBodyAsync(response));
            }
        };
    }

    /// <summary>Everything received so far (polling bodies still being read are awaited first).</summary>
    public async Task<IReadOnlyList<string>> ReceivedAsync()
    {
        await Task.WhenAll(_pendingBodies.ToArray());
        return _received.ToArray();
    }

    public IReadOnlyList<string> Sent => _sent.ToArray();

    private async Task ReadBodyAsync(IResponse response)
    {
        try
        {
            _received.Enqueue(await response.TextAsync());
        }
        catch (PlaywrightException)
        {
            // The page (or the poll) went away before its body could be read; nothing was delivered.
        }
    }

    private static bool IsPolling(string url) => url.Contains("/socket.io/", StringComparison.Ordinal) && url.Contains("transport=polling", StringComparison.Ordinal);
}
