using System.Net.Sockets;

namespace Mpm.Monitor.Collectors.Tests;

/// <summary>
/// A unix socket that forwards every connection to the real engine, and can be "crashed": it
/// drops every open connection and its socket file at once, as an engine restart does, without
/// touching the engine the other tests share.
/// </summary>
internal sealed class EngineProxy : IAsyncDisposable
{
    private readonly List<Socket> _open = [];
    private readonly Lock _gate = new();
    private Socket? _listener;
    private Task _accepting = Task.CompletedTask;

    public EngineProxy(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public void Start()
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(Path));
        listener.Listen(128);
        _listener = listener;
        _accepting = AcceptAsync(listener);
    }

    /// <summary>Every connection is cut and the socket disappears.</summary>
    public async Task CrashAsync()
    {
        _listener?.Dispose();
        _listener = null;
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        lock (_gate)
        {
            foreach (var socket in _open)
            {
                socket.Dispose();
            }
            _open.Clear();
        }
        File.Delete(Path);
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (true)
        {
            var client = await listener.AcceptAsync();
            var engine = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await engine.ConnectAsync(new UnixDomainSocketEndPoint(DockerFixture.SocketPath));
            lock (_gate)
            {
                _open.Add(client);
                _open.Add(engine);
            }
            _ = PumpAsync(client, engine);
            _ = PumpAsync(engine, client);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read));
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The other side or a crash closed it.
        }
    }

    public async ValueTask DisposeAsync() => await CrashAsync();
}
