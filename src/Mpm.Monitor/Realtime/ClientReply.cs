using System.Buffers;
using System.Text.Json;
using Mpm.Monitor.Http;
using Mpm.Monitor.SocketIO;

namespace Mpm.Monitor.Realtime;

/// <summary>
/// Answers a client request: as the acknowledgement when the client asked for one, else as an event
/// of its own (<c>subscribed</c>, <c>state</c>, <c>monitor_error</c>) — CONTRACT §6.
/// </summary>
internal static class ClientReply
{
    public const string InvalidPayload = "invalid_payload";
    public const string PayloadTooLarge = "payload_too_large";
    public const string Unavailable = "unavailable";
    public const string ErrorEvent = "monitor_error";

    public static ValueTask SendAsync(SocketEvent request, string replyEvent, ReadOnlyMemory<byte> json)
    {
        if (request.HasAck)
            return request.AckAsync(new RawJson(json));
        request.Socket.EmitRaw(replyEvent, json);
        return ValueTask.CompletedTask;
    }

    public static ValueTask SendErrorAsync(SocketEvent request, string code, string message) =>
        SendAsync(request, ErrorEvent, Error(code, message));

    /// <summary><c>{"error":{"code":...,"message":...}}</c>, the shape of the HTTP errors.</summary>
    public static byte[] Error(string code, string message) => Build(writer => ErrorResponses.WriteBody(writer, code, message));

    public static byte[] Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        return buffer.WrittenSpan.ToArray();
    }
}
