namespace Mpm.Monitor.SocketIO.Engine;

/// <summary>
/// A connection's bounded FIFO of outgoing packets (not thread-safe: the connection's lock guards it).
/// It holds no array while it has never been used, and gives back a grown one once drained, so an idle
/// connection costs a few bytes here whatever bursts it went through. A mutable struct, embedded in its
/// connection to spare an object per connection: use it only through that field.
/// </summary>
internal struct PacketQueue
{
    private const int InitialCapacity = 4;

    private OutboundPacket?[]? _items;
    private int _head;

    public int Count { get; private set; }

    public void Enqueue(OutboundPacket packet)
    {
        if (_items is null || Count == _items.Length)
            Grow();
        _items![(_head + Count) % _items.Length] = packet;
        Count++;
    }

    public bool TryDequeue(out OutboundPacket packet)
    {
        if (Count == 0)
        {
            packet = null!;
            return false;
        }
        packet = _items![_head]!;
        _items[_head] = null;
        _head = (_head + 1) % _items.Length;
        if (--Count == 0)
        {
            _head = 0;
            if (_items.Length > InitialCapacity)
                _items = null;
        }
        return true;
    }

    public void Clear()
    {
        _items = null;
        _head = 0;
        Count = 0;
    }

    private void Grow()
    {
        var larger = new OutboundPacket?[_items is null ? InitialCapacity : _items.Length * 2];
        for (var i = 0; i < Count; i++)
            larger[i] = _items![(_head + i) % _items.Length];
        _items = larger;
        _head = 0;
    }
}
