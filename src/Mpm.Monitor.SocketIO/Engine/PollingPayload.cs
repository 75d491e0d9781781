using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Mpm.Monitor.SocketIO.Engine;

/// <summary>
/// The HTTP long-polling payload formats: v4 joins packets with the record separator 0x1E and sends
/// binary as <c>b</c>+base64; v3 prefixes each packet with its length (<c>len:packet</c>, in UTF-16
/// characters), or, when the client takes binary and some packet is binary, uses the XHR2 binary framing.
/// </summary>
internal static class PollingPayload
{
    private const byte RecordSeparator = 0x1E;
    public const string TextContentType = "text/plain; charset=UTF-8";
    public const string BinaryContentType = "application/octet-stream";

    public static void Encode(IReadOnlyList<OutboundPacket> packets, int protocol, bool base64Only, IBufferWriter<byte> output, out string contentType)
    {
        contentType = TextContentType;
        if (protocol >= 4)
            EncodeV4(packets, output);
        else if (!base64Only && packets.Any(p => p.Binaries.Length > 0))
        {
            contentType = BinaryContentType;
            EncodeV3Binary(packets, output);
        }
        else
            EncodeV3Text(packets, output);
    }

    private static void EncodeV4(IReadOnlyList<OutboundPacket> packets, IBufferWriter<byte> output)
    {
        var first = true;
        foreach (var packet in packets)
        {
            if (packet.Text is { } text)
            {
                Separate(ref first, output);
                output.Write(text);
            }
            foreach (var binary in packet.Binaries)
            {
                Separate(ref first, output);
                output.Write("b"u8);
                WriteBase64(binary.Span, output);
            }
        }
    }

    private static void Separate(ref bool first, IBufferWriter<byte> output)
    {
        if (!first)
            output.Write([RecordSeparator]);
        first = false;
    }

    private static void EncodeV3Text(IReadOnlyList<OutboundPacket> packets, IBufferWriter<byte> output)
    {
        foreach (var packet in packets)
        {
            if (packet.Text is { } text)
            {
                WriteAscii(Encoding.UTF8.GetCharCount(text).ToString(System.Globalization.CultureInfo.InvariantCulture) + ":", output);
                output.Write(text);
            }
            foreach (var binary in packet.Binaries)
            {
                var length = 2 + Base64.GetMaxEncodedToUtf8Length(binary.Length);
                WriteAscii(length.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":b4", output);
                WriteBase64(binary.Span, output);
            }
        }
    }

    private static void EncodeV3Binary(IReadOnlyList<OutboundPacket> packets, IBufferWriter<byte> output)
    {
        foreach (var packet in packets)
        {
            if (packet.Text is { } text)
            {
                WriteV3BinaryHeader(0, text.Length, output);
                output.Write(text);
            }
            foreach (var binary in packet.Binaries)
            {
                WriteV3BinaryHeader(1, binary.Length + 1, output);
                output.Write([(byte)EnginePacketType.Message]);
                output.Write(binary.Span);
            }
        }
    }

    private static void WriteV3BinaryHeader(byte kind, int length, IBufferWriter<byte> output)
    {
        output.Write([kind]);
        foreach (var c in length.ToString(System.Globalization.CultureInfo.InvariantCulture))
            output.Write([(byte)(c - '0')]);
        output.Write([(byte)255]);
    }

    private static void WriteAscii(string s, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(s.Length);
        var n = Encoding.ASCII.GetBytes(s, span);
        output.Advance(n);
    }

    private static void WriteBase64(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(Base64.GetMaxEncodedToUtf8Length(data.Length));
        Base64.EncodeToUtf8(data, span, out _, out var written);
        output.Advance(written);
    }

    /// <summary>Decodes a POST body. Throws <see cref="FormatException"/> on anything malformed.</summary>
    public static List<InboundFrame> Decode(ReadOnlyMemory<byte> body, int protocol, bool binaryBody)
    {
        if (body.IsEmpty)
            throw new FormatException("empty payload");
        if (protocol >= 4)
            return DecodeV4(body);
        return binaryBody ? DecodeV3Binary(body) : DecodeV3Text(body);
    }

    private static List<InboundFrame> DecodeV4(ReadOnlyMemory<byte> body)
    {
        var frames = new List<InboundFrame>();
        while (true)
        {
            var end = body.Span.IndexOf(RecordSeparator);
            var segment = end < 0 ? body : body[..end];
            frames.Add(segment.Span is [(byte)'b', ..]
                ? new InboundFrame(EnginePacketType.Message, FromBase64(segment[1..].Span), true)
                : InboundFrame.FromText(segment));
            if (end < 0)
                return frames;
            body = body[(end + 1)..];
        }
    }

    private static List<InboundFrame> DecodeV3Text(ReadOnlyMemory<byte> body)
    {
        // Lengths count UTF-16 characters, so decode to a string first (the body is bounded by maxPayload).
        var text = Encoding.UTF8.GetString(body.Span);
        var frames = new List<InboundFrame>();
        var position = 0;
        while (position < text.Length)
        {
            var colon = text.IndexOf(':', position);
            if (colon <= position || !int.TryParse(text.AsSpan(position, colon - position), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length)
                || length == 0 || length > text.Length - colon - 1) // not colon + 1 + length, which overflows for huge lengths
                throw new FormatException("bad length prefix");
            var packet = text.AsSpan(colon + 1, length);
            position = colon + 1 + length;
            if (packet[0] == 'b')
            {
                if (packet.Length < 2 || packet[1] - '0' is < 1 or > 6)
                    throw new FormatException("bad base64 packet");
                frames.Add(new InboundFrame((EnginePacketType)(packet[1] - '0'), Convert.FromBase64String(packet[2..].ToString()), true));
            }
            else
                frames.Add(InboundFrame.FromText(Encoding.UTF8.GetBytes(packet.ToString())));
        }
        return frames;
    }

    private static List<InboundFrame> DecodeV3Binary(ReadOnlyMemory<byte> body)
    {
        var frames = new List<InboundFrame>();
        var span = body.Span;
        var position = 0;
        while (position < span.Length)
        {
            var kind = span[position++];
            var length = 0;
            while (position < span.Length && span[position] != 255)
            {
                if (span[position] > 9 || length > 100_000_000)
                    throw new FormatException("bad binary length");
                length = length * 10 + span[position++];
            }
            position++;
            if (kind > 1 || length == 0 || length > span.Length - position)
                throw new FormatException("bad binary packet");
            var packet = body.Slice(position, length);
            position += length;
            frames.Add(kind == 0 ? InboundFrame.FromText(packet) : InboundFrame.FromBinary(packet, 3));
        }
        return frames;
    }

    private static byte[] FromBase64(ReadOnlySpan<byte> utf8)
    {
        var result = new byte[Base64.GetMaxDecodedFromUtf8Length(utf8.Length)];
        if (Base64.DecodeFromUtf8(utf8, result, out _, out var written) != OperationStatus.Done)
            throw new FormatException("bad base64");
        return result.AsSpan(0, written).ToArray();
    }
}
