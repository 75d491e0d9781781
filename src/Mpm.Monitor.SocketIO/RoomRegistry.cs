using System.Collections.Concurrent;

namespace Mpm.Monitor.SocketIO;

/// <summary>
/// The in-memory adapter: which sockets of a namespace are in which room. Reads (broadcasts) take no
/// lock; a room's member set is removed when its last member leaves.
/// </summary>
internal sealed class RoomRegistry
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Socket, byte>> _rooms = new(StringComparer.Ordinal);
    private readonly Lock _membershipLock = new();

    public void Add(string room, Socket socket)
    {
        lock (_membershipLock)
            _rooms.GetOrAdd(room, static _ => new ConcurrentDictionary<Socket, byte>())[socket] = 0;
    }

    public void Remove(string room, Socket socket)
    {
        lock (_membershipLock)
        {
            if (!_rooms.TryGetValue(room, out var members))
                return;
            members.TryRemove(socket, out _);
            if (members.IsEmpty)
                _rooms.TryRemove(room, out _);
        }
    }

    /// <summary>The room's members, enumerated live without a lock or a copy.</summary>
    public IEnumerable<Socket> Members(string room) =>
        _rooms.TryGetValue(room, out var members) ? members.Select(static pair => pair.Key) : [];
}
