// Mpm.Monitor.SocketIO doing what server-node.mjs does: every "publish" is broadcast as "tick" to all
// other sockets. The payload is passed on as already-serialised JSON (EmitRaw), the monitor's hot path.
// usage: dotnet BenchServer.dll PORT
using System.Text;
using Mpm.Monitor.SocketIO;

var port = args.Length > 0 ? int.Parse(args[0]) : 3100;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Services.AddSocketIO(o => o.MaxQueuedMessages = 4096);
var app = builder.Build();
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
app.MapGet("/stats", () =>
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    return Results.Json(new { rss = Environment.WorkingSet, managed = GC.GetTotalMemory(forceFullCollection: true), connections = io.ConnectionCount });
});
Console.WriteLine($"listening on {port}");
await app.RunAsync();
