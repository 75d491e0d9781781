using Mpm.Monitor.SocketIO.Engine;

namespace Mpm.Monitor.SocketIO.Tests;

public sealed class PacketQueueTests
{
    private static OutboundPacket Packet(int n) => OutboundPacket.Message(System.Text.Encoding.UTF8.GetBytes(n.ToString()));

    private static int Read(ref PacketQueue queue)
    {
        Assert.True(queue.TryDequeue(out var packet));
        return int.Parse(System.Text.Encoding.UTF8.GetString(packet.Text.AsSpan(1)));
    }

    [Fact]
    public void Packets_leave_in_order_across_growth_and_wrap_around()
    {
        var queue = new PacketQueue();
        Assert.False(queue.TryDequeue(out _));
        var next = 0;
        var expected = 0;
        for (var round = 0; round < 50; round++)
        {
            // Interleave writes and reads so the ring wraps, with bursts that make it grow.
            for (var i = 0; i < round % 9 + 1; i++)
                queue.Enqueue(Packet(next++));
            for (var i = 0; i < round % 5 + 1 && queue.Count > 0; i++)
                Assert.Equal(expected++, Read(ref queue));
        }
        while (queue.Count > 0)
            Assert.Equal(expected++, Read(ref queue));
        Assert.Equal(next, expected);
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public void A_drained_queue_takes_packets_again_and_Clear_drops_them()
    {
        var queue = new PacketQueue();
        for (var i = 0; i < 100; i++)
            queue.Enqueue(Packet(i));
        for (var i = 0; i < 100; i++)
            Assert.Equal(i, Read(ref queue));
        queue.Enqueue(Packet(7));
        Assert.Equal(1, queue.Count);
        Assert.Equal(7, Read(ref queue));

        queue.Enqueue(Packet(1));
        queue.Enqueue(Packet(2));
        queue.Clear();
        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryDequeue(out _));
        queue.Enqueue(Packet(3));
        Assert.Equal(3, Read(ref queue));
    }
}
