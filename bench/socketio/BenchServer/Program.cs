// Mpm.Monitor.SocketIO doing what server-node.mjs does: every "publish" is broadcast as "tick" to all
// other sockets. The payload is passed on as already-serialised JSON (EmitRaw), the monitor's hot path.
// GET /stats reports where the server's memory is (for the idle-connection measurement); /bare is a
// plain Kestrel WebSocket that only waits for data, the floor the Socket.IO connections are compared with.
// usage: dotnet BenchServer.dll PORT [PING_INTERVAL_MS=25000]
using System.Net.WebSockets;
using System.Text;
using BenchServer;
using Mpm.Monitor.SocketIO;

var port = args.Length > 0 ? int.Parse(args[0]) : 3100;
var pingInterval = TimeSpan.FromMilliseconds(args.Length > 1 ? int.Parse(args[1]) : 25_000);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Services.AddSocketIO(o =>
{
    o.MaxQueuedMessages = 4096;
    o.PingInterval = pingInterval;
});
var app = builder.Build();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
app.MapSocketIO("/socket.io");
var io = app.Services.GetRequiredService<SocketIOServer>();
io.Sockets.OnConnection(socket =>
{
    socket.On("publish", e =>
    {
        socket.Broadcast.EmitRaw("tick", Encoding.UTF8.GetBytes(e.Args[0].GetRawText()));
        return ValueTask.CompletedTask;
    });
    return ValueTask.CompletedTask;
});
var bareConnections = 0;
app.Map("/bare", async context =>
{
    using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
    Interlocked.Increment(ref bareConnections);
    try
    {
        while (true)
        {
            var result = await webSocket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
                break;
        }
    }
    catch (WebSocketException)
    {
    }
    finally
    {
        Interlocked.Decrement(ref bareConnections);
    }
});
app.MapGet("/stats", () => Results.Json(MemoryStats.Take(io.ConnectionCount + Volatile.Read(ref bareConnections))));
Console.WriteLine($"listening on {port}");
await app.RunAsync();
