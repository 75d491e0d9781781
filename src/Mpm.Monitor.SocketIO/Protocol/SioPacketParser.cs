using System.Text;
using System.Text.Json;

namespace Mpm.Monitor.SocketIO.Protocol;

/// <summary>
/// Decodes <c>&lt;type&gt;[&lt;attachments&gt;-][&lt;namespace&gt;,][&lt;ack id&gt;][&lt;JSON&gt;]</c> and checks
/// the payload has the shape its type requires. Anything else is a <see cref="FormatException"/>.
/// </summary>
internal static class SioPacketParser
{
    private const int MaxAttachments = 1000;

    public static SioPacket Parse(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty)
            throw new FormatException("empty Socket.IO packet");
        var typeDigit = text[0] - '0';
        if (typeDigit is < 0 or > (int)SioPacketType.BinaryAck)
            throw new FormatException($"unknown Socket.IO packet type '{(char)text[0]}'");
        var type = (SioPacketType)typeDigit;
        var i = 1;

        var attachments = 0;
        if (type is SioPacketType.BinaryEvent or SioPacketType.BinaryAck)
        {
            var start = i;
            while (i < text.Length && IsDigit(text[i]))
            {
                attachments = attachments * 10 + (text[i] - '0');
                if (attachments > MaxAttachments)
                    throw new FormatException("too many attachments");
                i++;
            }
            if (i == start || i >= text.Length || text[i] != '-')
                throw new FormatException("bad attachment count");
            i++;
        }

        var nsp = "/";
        var query = "";
        if (i < text.Length && text[i] == '/')
        {
            var comma = text[i..].IndexOf((byte)',');
            var end = comma < 0 ? text.Length : i + comma;
            nsp = Encoding.UTF8.GetString(text[i..end]);
            var question = nsp.IndexOf('?');
            if (question >= 0)
            {
                query = nsp[(question + 1)..];
                nsp = nsp[..question];
            }
            i = comma < 0 ? text.Length : end + 1;
        }

        var ackId = -1;
        if (i < text.Length && IsDigit(text[i]))
        {
            long id = 0;
            while (i < text.Length && IsDigit(text[i]))
            {
                id = id * 10 + (text[i] - '0');
                if (id > int.MaxValue)
                    throw new FormatException("ack id out of range");
                i++;
            }
            ackId = (int)id;
        }

        JsonElement? payload = null;
        if (i < text.Length)
        {
            var json = text[i..];
            try
            {
                var reader = new Utf8JsonReader(json);
                payload = JsonElement.ParseValue(ref reader);
                if (reader.BytesConsumed != json.Length)
                    throw new FormatException("data after the JSON payload");
            }
            catch (JsonException e)
            {
                throw new FormatException($"invalid JSON payload: {e.Message}");
            }
        }

        var packet = new SioPacket(type, nsp, ackId, attachments, payload, query);
        Validate(packet);
        return packet;
    }

    private static void Validate(SioPacket packet)
    {
        switch (packet.Type)
        {
            case SioPacketType.Connect:
                if (packet.Payload is { ValueKind: not JsonValueKind.Object })
                    throw new FormatException("CONNECT payload must be an object");
                break;
            case SioPacketType.Disconnect:
                if (packet.Payload is not null)
                    throw new FormatException("DISCONNECT takes no payload");
                break;
            case SioPacketType.Event or SioPacketType.BinaryEvent:
                if (packet.Payload is not { ValueKind: JsonValueKind.Array } events || events.GetArrayLength() == 0
                    || events[0].ValueKind != JsonValueKind.String)
                    throw new FormatException("EVENT payload must be an array starting with the event name");
                break;
            case SioPacketType.Ack or SioPacketType.BinaryAck:
                if (packet.AckId < 0 || packet.Payload is not { ValueKind: JsonValueKind.Array })
                    throw new FormatException("ACK needs an id and an array payload");
                break;
            default:
                throw new FormatException($"a client may not send {packet.Type}");
        }
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
