// Runs the reference setup of the official Engine.IO (v4 and v3) and Socket.IO (v5) protocol test
// suites: http://localhost:PORT with pingInterval 300 ms, pingTimeout 200 ms, maxPayload 1e6,
// connectTimeout 1 s, a bare Engine.IO echo at /engine.io/, and Socket.IO at /socket.io/ with the
// suites' echo handlers on "/" and a "/custom" namespace.
using System.Text.Json;
using ConformanceHost;
using Mpm.Monitor.SocketIO;

var port = 3000;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--port" && i + 1 < args.Length && int.TryParse(args[i + 1], out var parsed) && parsed is > 0 and < 65536)
    {
        port = parsed;
        i++;
    }
    else
    {
        Console.Error.WriteLine($"usage: ConformanceHost [--port N]   (unexpected argument '{args[i]}')");
        return 2;
    }
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls($"http://localhost:{port}");
builder.Services.AddSocketIO(o =>
{
    o.PingInterval = TimeSpan.FromMilliseconds(300);
    o.PingTimeout = TimeSpan.FromMilliseconds(200);
    o.MaxPayload = 1_000_000;
    o.ConnectTimeout = TimeSpan.FromSeconds(1);
    o.AllowEngineIO3 = true;
});

var app = builder.Build();
app.MapEngineIO("/engine.io", connection => new EngineEcho(connection));
app.MapSocketIO("/socket.io");

var io = app.Services.GetRequiredService<SocketIOServer>();
io.Sockets.OnConnection(socket =>
{
    socket.Emit("auth", socket.Handshake.Auth);
    socket.On("message", e =>
    {
        socket.Emit("message-back", [.. WithBinary(e)]);
        return ValueTask.CompletedTask;
    });
    socket.On("message-with-ack", e => e.HasAck ? e.AckAsync([.. WithBinary(e)]) : ValueTask.CompletedTask);
    return ValueTask.CompletedTask;
});
io.Of("/custom").OnConnection(socket =>
{
    socket.Emit("auth", socket.Handshake.Auth);
    return ValueTask.CompletedTask;
});

await app.RunAsync();
return 0;

// Puts each binary attachment back in its placeholder's position so echoing re-sends it as binary.
static IEnumerable<object?> WithBinary(SocketEvent e) => e.Args.Select(arg =>
    arg.ValueKind == JsonValueKind.Object
    && arg.TryGetProperty("_placeholder", out var placeholder) && placeholder.ValueKind == JsonValueKind.True
    && arg.TryGetProperty("num", out var num) && num.TryGetInt32(out var index) && index >= 0 && index < e.Attachments.Count
        ? e.Attachments[index]
        : (object?)arg);
