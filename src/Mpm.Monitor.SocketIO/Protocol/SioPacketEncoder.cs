using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mpm.Monitor.SocketIO.Engine;

namespace Mpm.Monitor.SocketIO.Protocol;

/// <summary>
/// Builds outgoing Socket.IO packets as ready-to-send Engine.IO message bytes. Top-level arguments
/// that are binary (<c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>, <c>Memory&lt;byte&gt;</c>,
/// <c>ArraySegment&lt;byte&gt;</c>) become attachments with <c>{"_placeholder":true,"num":N}</c>.
/// The bytes are identical for Socket.IO v4 and v5 clients, so one packet serves both generations.
/// </summary>
internal static class SioPacketEncoder
{
    public static OutboundPacket Event(string nsp, string eventName, ReadOnlySpan<object?> args, JsonSerializerOptions options, int ackId = -1)
    {
        using var json = new PooledBufferWriter();
        var attachments = new List<ReadOnlyMemory<byte>>(0);
        using (var writer = new Utf8JsonWriter(json, WriterOptions(options)))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(eventName);
            WriteArguments(writer, args, options, attachments);
            writer.WriteEndArray();
        }
        return Build(attachments.Count > 0 ? SioPacketType.BinaryEvent : SioPacketType.Event, nsp, ackId, json.WrittenSpan, attachments);
    }

    /// <summary>An event whose one argument is already-serialised JSON, copied in verbatim.</summary>
    public static OutboundPacket RawEvent(string nsp, string eventName, ReadOnlySpan<byte> utf8JsonArgument)
    {
        using var json = new PooledBufferWriter(utf8JsonArgument.Length + eventName.Length + 16);
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }))
        {
            writer.WriteStringValue(eventName);
        }
        var nameJson = json.WrittenSpan.ToArray();
        var body = new byte[nameJson.Length + utf8JsonArgument.Length + 3];
        body[0] = (byte)'[';
        nameJson.CopyTo(body.AsSpan(1));
        body[nameJson.Length + 1] = (byte)',';
        utf8JsonArgument.CopyTo(body.AsSpan(nameJson.Length + 2));
        body[^1] = (byte)']';
        return Build(SioPacketType.Event, nsp, -1, body, []);
    }

    public static OutboundPacket Ack(string nsp, int ackId, ReadOnlySpan<object?> args, JsonSerializerOptions options)
    {
        using var json = new PooledBufferWriter();
        var attachments = new List<ReadOnlyMemory<byte>>(0);
        using (var writer = new Utf8JsonWriter(json, WriterOptions(options)))
        {
            writer.WriteStartArray();
            WriteArguments(writer, args, options, attachments);
            writer.WriteEndArray();
        }
        return Build(attachments.Count > 0 ? SioPacketType.BinaryAck : SioPacketType.Ack, nsp, ackId, json.WrittenSpan, attachments);
    }

    /// <summary>CONNECT reply: v5 carries the socket id; v4 has no payload.</summary>
    public static OutboundPacket Connect(string nsp, string socketId, int socketIOProtocol) =>
        socketIOProtocol >= 5
            ? Build(SioPacketType.Connect, nsp, -1, Encoding.UTF8.GetBytes($$"""{"sid":"{{socketId}}"}"""), [])
            : Build(SioPacketType.Connect, nsp, -1, [], []);

    /// <summary>CONNECT_ERROR: v5 sends <c>{"message","data"}</c>; v4 a plain JSON string.</summary>
    public static OutboundPacket ConnectError(string nsp, string message, object? data, int socketIOProtocol, JsonSerializerOptions options)
    {
        byte[] payload;
        if (socketIOProtocol < 5)
            payload = JsonSerializer.SerializeToUtf8Bytes(message, options);
        else
        {
            using var json = new PooledBufferWriter();
            using (var writer = new Utf8JsonWriter(json, WriterOptions(options)))
            {
                writer.WriteStartObject();
                writer.WriteString("message", message);
                if (data is not null)
                {
                    writer.WritePropertyName("data");
                    JsonSerializer.Serialize(writer, data, data.GetType(), options);
                }
                writer.WriteEndObject();
            }
            payload = json.WrittenSpan.ToArray();
        }
        return Build(SioPacketType.ConnectError, nsp, -1, payload, []);
    }

    public static OutboundPacket Disconnect(string nsp) => Build(SioPacketType.Disconnect, nsp, -1, [], []);

    private static JsonWriterOptions WriterOptions(JsonSerializerOptions options) => new()
    {
        Encoder = options.Encoder ?? JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static void WriteArguments(Utf8JsonWriter writer, ReadOnlySpan<object?> args, JsonSerializerOptions options, List<ReadOnlyMemory<byte>> attachments)
    {
        foreach (var arg in args)
        {
            if (TryGetBinary(arg, out var data))
            {
                writer.WriteStartObject();
                writer.WriteBoolean("_placeholder", true);
                writer.WriteNumber("num", attachments.Count);
                writer.WriteEndObject();
                attachments.Add(data);
            }
            else if (arg is null)
                writer.WriteNullValue();
            else
                JsonSerializer.Serialize(writer, arg, arg.GetType(), options);
        }
    }

    private static bool TryGetBinary(object? arg, out ReadOnlyMemory<byte> data)
    {
        switch (arg)
        {
            case byte[] bytes:
                data = bytes;
                return true;
            case ReadOnlyMemory<byte> memory:
                data = memory;
                return true;
            case Memory<byte> memory:
                data = memory;
                return true;
            case ArraySegment<byte> segment:
                data = segment;
                return true;
            default:
                data = default;
                return false;
        }
    }

    private static OutboundPacket Build(SioPacketType type, string nsp, int ackId, ReadOnlySpan<byte> json, List<ReadOnlyMemory<byte>> attachments)
    {
        Span<byte> header = stackalloc byte[32];
        var length = 0;
        header[length++] = (byte)('0' + (int)EnginePacketType.Message);
        header[length++] = (byte)('0' + (int)type);
        if (attachments.Count > 0)
        {
            attachments.Count.TryFormat(header[length..], out var n);
            length += n;
            header[length++] = (byte)'-';
        }
        var nspBytes = nsp == "/" ? 0 : Encoding.UTF8.GetByteCount(nsp) + 1;
        Span<byte> ack = stackalloc byte[11];
        var ackLength = 0;
        if (ackId >= 0)
            ackId.TryFormat(ack, out ackLength);

        var packet = new byte[length + nspBytes + ackLength + json.Length];
        header[..length].CopyTo(packet);
        var position = length;
        if (nspBytes > 0)
        {
            position += Encoding.UTF8.GetBytes(nsp, packet.AsSpan(position));
            packet[position++] = (byte)',';
        }
        ack[..ackLength].CopyTo(packet.AsSpan(position));
        position += ackLength;
        json.CopyTo(packet.AsSpan(position));
        return new OutboundPacket(packet, attachments.Count > 0 ? attachments.ToArray() : null);
    }
}
