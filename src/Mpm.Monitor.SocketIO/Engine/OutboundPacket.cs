namespace Mpm.Monitor.SocketIO.Engine;

/// <summary>
/// An immutable group of Engine.IO frames queued to a connection: an optional text packet (its
/// Engine.IO type character included, UTF-8) followed by binary message frames. A broadcast builds
/// one instance and queues the same object to every target, so the bytes are encoded once; each
/// transport only frames them (WebSocket sends them as they are).
/// </summary>
internal sealed class OutboundPacket
{
    public static readonly OutboundPacket Ping = Control(EnginePacketType.Ping);
    public static readonly OutboundPacket Pong = Control(EnginePacketType.Pong);
    public static readonly OutboundPacket Noop = Control(EnginePacketType.Noop);
    public static readonly OutboundPacket Close = Control(EnginePacketType.Close);

    public OutboundPacket(byte[]? text, ReadOnlyMemory<byte>[]? binaries = null)
    {
        Text = text;
        Binaries = binaries ?? [];
    }

    /// <summary>UTF-8 text packet including the Engine.IO type character, or null.</summary>
    public byte[]? Text { get; }

    /// <summary>Binary message frames sent after the text packet.</summary>
    public ReadOnlyMemory<byte>[] Binaries { get; }

    public int ByteCount => (Text?.Length ?? 0) + Binaries.Sum(b => b.Length);

    public static OutboundPacket Message(ReadOnlySpan<byte> utf8Text)
    {
        var text = new byte[utf8Text.Length + 1];
        text[0] = (byte)('0' + (int)EnginePacketType.Message);
        utf8Text.CopyTo(text.AsSpan(1));
        return new OutboundPacket(text);
    }

    public static OutboundPacket Binary(ReadOnlyMemory<byte> data) => new(null, [data]);

    private static OutboundPacket Control(EnginePacketType type) => new([(byte)('0' + (int)type)]);
}
