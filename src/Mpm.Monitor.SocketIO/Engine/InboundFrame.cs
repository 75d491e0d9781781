namespace Mpm.Monitor.SocketIO.Engine;

/// <summary>One decoded Engine.IO packet received from a client.</summary>
internal readonly record struct InboundFrame(EnginePacketType Type, ReadOnlyMemory<byte> Data, bool Binary)
{
    /// <summary>Decodes a text packet: a type digit followed by UTF-8 data.</summary>
    public static InboundFrame FromText(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.IsEmpty)
            throw new FormatException("empty packet");
        var digit = utf8.Span[0] - (byte)'0';
        if (digit is < 0 or > (int)EnginePacketType.Noop || digit == (int)EnginePacketType.Open)
            throw new FormatException($"unknown packet type '{(char)utf8.Span[0]}'");
        return new InboundFrame((EnginePacketType)digit, utf8[1..], false);
    }

    /// <summary>Decodes a binary WebSocket frame: v4 frames are messages; v3 frames start with the type byte.</summary>
    public static InboundFrame FromBinary(ReadOnlyMemory<byte> data, int protocol)
    {
        if (protocol >= 4)
            return new InboundFrame(EnginePacketType.Message, data, true);
        if (data.IsEmpty || data.Span[0] > (byte)EnginePacketType.Noop)
            throw new FormatException("bad binary packet type");
        return new InboundFrame((EnginePacketType)data.Span[0], data[1..], true);
    }
}
