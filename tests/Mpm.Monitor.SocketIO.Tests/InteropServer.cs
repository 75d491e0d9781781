namespace Mpm.Monitor.SocketIO.Tests;

/// <summary>The server side of the interop scenario that tests/interop/client-*.js and the C# client run.</summary>
internal static class InteropServer
{
    public static void Configure(SocketIOServer io) => io.Sockets.OnConnection(socket =>
    {
        // Socket.IO v5 clients send the token in the handshake auth; legacy ones in the query.
        var token = socket.Handshake.Auth is { } auth && auth.TryGetProperty("token", out var t) ? t.GetString() : socket.Handshake.Query["token"].ToString();
        socket.Emit("welcome", new { token, protocol = socket.Handshake.EngineProtocol });
        socket.On("echo", e => e.HasAck ? e.AckAsync([.. e.Args.Cast<object?>()]) : ValueTask.CompletedTask);
        socket.On("ask-me", async _ =>
        {
            var answer = await socket.EmitWithAckAsync("question", TimeSpan.FromSeconds(20), "how many?");
            socket.Emit("answer-was", answer[0]);
        });
        socket.On("binary", e => e.AckAsync(e.Attachments[0].ToArray().Reverse().ToArray(), e.Attachments.Count));
        socket.On("join", e =>
        {
            socket.Join(e.Args[0].GetString()!);
            return e.AckAsync(socket.Rooms);
        });
        socket.On("crash", _ => throw new InvalidOperationException("the client asked the connection to drop"));
        socket.On("to-room", e =>
        {
            io.Sockets.To(e.Args[0].GetString()!).Emit("room-msg", e.Args[1]);
            return ValueTask.CompletedTask;
        });
        return ValueTask.CompletedTask;
    });
}
