using System.Buffers;
using System.Text;
using Mpm.Monitor.SocketIO.Engine;
using Mpm.Monitor.SocketIO.Protocol;

namespace Mpm.Monitor.SocketIO.Tests;

/// <summary>The packet codecs on their own, against the examples of the protocol documents.</summary>
public sealed class PacketCodecTests
{
    [Theory]
    [InlineData("0", 0, "/", -1, 0, null)]
    [InlineData("0/admin,{\"token\":\"x\"}", 0, "/admin", -1, 0, "{\"token\":\"x\"}")]
    [InlineData("1/admin,", 1, "/admin", -1, 0, null)]
    [InlineData("2[\"hello\",1]", 2, "/", -1, 0, "[\"hello\",1]")]
    [InlineData("2/admin,456[\"project:delete\",123]", 2, "/admin", 456, 0, "[\"project:delete\",123]")]
    [InlineData("3/admin,456[]", 3, "/admin", 456, 0, "[]")]
    [InlineData("51-[\"hello\",{\"_placeholder\":true,\"num\":0}]", 5, "/", -1, 1, "[\"hello\",{\"_placeholder\":true,\"num\":0}]")]
    [InlineData("61-/admin,456[{\"_placeholder\":true,\"num\":0}]", 6, "/admin", 456, 1, "[{\"_placeholder\":true,\"num\":0}]")]
    public void Parses_the_examples_of_the_Socket_IO_protocol(string text, int type, string nsp, int ackId, int attachments, string? payload)
    {
        var packet = SioPacketParser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.Equal((SioPacketType)type, packet.Type);
        Assert.Equal(nsp, packet.Namespace);
        Assert.Equal(ackId, packet.AckId);
        Assert.Equal(attachments, packet.AttachmentCount);
        Assert.Equal(payload, packet.Payload?.GetRawText());
    }

    [Fact]
    public void Separates_a_legacy_namespace_query()
    {
        var packet = SioPacketParser.Parse("0/admin?token=abc&x=1,"u8);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal("token=abc&x=1", packet.Query);
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("a")]
    [InlineData("2{}")]
    [InlineData("2[]")]
    [InlineData("2[1]")]
    [InlineData("2abc[\"e\"]")]
    [InlineData("2[\"e\"")]
    [InlineData("0[1]")]
    [InlineData("1{}")]
    [InlineData("3[]")]
    [InlineData("4{\"message\":\"x\"}")]
    [InlineData("5[\"e\"]")]
    [InlineData("51[\"e\"]")]
    [InlineData("599999-[\"e\"]")]
    [InlineData("299999999999[\"e\"]")]
    public void Rejects_malformed_packets(string text) =>
        Assert.Throws<FormatException>(() => SioPacketParser.Parse(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Encodes_events_with_binary_attachments_and_namespaces()
    {
        var packet = SioPacketEncoder.Event("/admin", "file", ["name", new byte[] { 1, 2 }, new ReadOnlyMemory<byte>([3])], new JsonSerializerOptions(JsonSerializerDefaults.Web), ackId: 12);
        Assert.Equal("452-/admin,12[\"file\",\"name\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", Encoding.UTF8.GetString(packet.Text!));
        Assert.Equal([new byte[] { 1, 2 }, new byte[] { 3 }], packet.Binaries.Select(b => b.ToArray()));
    }

    [Fact]
    public void Encodes_raw_events_verbatim_and_escapes_the_name()
    {
        var packet = SioPacketEncoder.RawEvent("/", "say \"hi\"", "{\"a\":[1,2]}"u8);
        Assert.Equal("42[\"say \\\"hi\\\"\",{\"a\":[1,2]}]", Encoding.UTF8.GetString(packet.Text!));
    }

    [Fact]
    public void Connect_error_is_an_object_for_v5_and_a_string_for_v4()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Assert.Equal("44/x,{\"message\":\"no\",\"data\":{\"code\":1}}", Encoding.UTF8.GetString(SioPacketEncoder.ConnectError("/x", "no", new { code = 1 }, 5, options).Text!));
        Assert.Equal("44/x,\"no\"", Encoding.UTF8.GetString(SioPacketEncoder.ConnectError("/x", "no", null, 4, options).Text!));
    }

    [Fact]
    public void Polling_v3_binary_payloads_decode_and_encode_per_the_XHR2_framing()
    {
        byte[] body = [0, 6, 255, .. "4hello"u8, 1, 5, 255, 4, 1, 2, 3, 4];
        var frames = PollingPayload.Decode(body, 3, binaryBody: true);
        Assert.Equal(2, frames.Count);
        Assert.Equal((EnginePacketType.Message, "hello", false), (frames[0].Type, Encoding.UTF8.GetString(frames[0].Data.Span), frames[0].Binary));
        Assert.Equal((EnginePacketType.Message, true), (frames[1].Type, frames[1].Binary));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, frames[1].Data.ToArray());

        var output = new ArrayBufferWriter<byte>();
        PollingPayload.Encode([OutboundPacket.Message("hello"u8), OutboundPacket.Binary(new byte[] { 1, 2, 3, 4 })], 3, base64Only: false, output, out var contentType);
        Assert.Equal("application/octet-stream", contentType);
        Assert.Equal(body, output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(4, "4hello\u001ebAQIDBA==")]
    [InlineData(3, "6:4hello10:b4AQIDBA==")]
    public void Polling_text_payloads_round_trip(int protocol, string payload)
    {
        var frames = PollingPayload.Decode(Encoding.UTF8.GetBytes(payload), protocol, binaryBody: false);
        var packets = frames.Select(f => f.Binary ? OutboundPacket.Binary(f.Data.ToArray()) : OutboundPacket.Message(f.Data.Span)).ToList();
        var output = new ArrayBufferWriter<byte>();
        PollingPayload.Encode(packets, protocol, base64Only: true, output, out _);
        Assert.Equal(payload, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(4, "")]
    [InlineData(4, "4a\u001e")]
    [InlineData(4, "b!!!")]
    [InlineData(4, "9")]
    [InlineData(3, "4:4a")]
    [InlineData(3, "x:4a")]
    [InlineData(3, "0:")]
    [InlineData(3, "2:b9")]
    public void Malformed_polling_payloads_are_rejected(int protocol, string payload) =>
        Assert.Throws<FormatException>(() => PollingPayload.Decode(Encoding.UTF8.GetBytes(payload), protocol, binaryBody: false));
}
