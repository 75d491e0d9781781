using System.Text.Json;
using Mpm.Monitor.SocketIO;

namespace Mpm.Monitor.Realtime;

/// <summary>
/// One connection's subscription set (CONTRACT §6) and the rooms that route it. Until the first
/// <c>subscribe</c> it holds everything; the first replaces that default, later ones add,
/// <c>unsubscribe</c> removes. While the set holds <c>"*"</c>, unsubscribing a name excludes it and
/// subscribing it again lifts the exclusion; names listed beside <c>"*"</c> are covered by it.
/// </summary>
internal sealed class Subscriptions
{
    public const string Everything = "*";

    /// <summary>Names one connection may subscribe to or exclude at once; bounds its rooms.</summary>
    public const int MaxNames = 1024;

    private readonly Lock _lock = new();
    private readonly SortedSet<string> _names = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _except = new(StringComparer.Ordinal);
    private bool _chosen;
    private bool _everything = true;
    private Socket? _routed;

    /// <summary>Whether an event of this type goes to the connection.</summary>
    public bool Wants(string type)
    {
        lock (_lock)
            return _everything ? !_except.Contains(type) : _names.Contains(type);
    }

    /// <summary>The explicit names, or null while the set holds everything.</summary>
    public IReadOnlyCollection<string>? ExplicitNames
    {
        get
        {
            lock (_lock)
                return _everything ? null : [.. _names];
        }
    }

    /// <summary>Puts the socket into the rooms of the set; from then on every change moves it between rooms.</summary>
    public void Route(Socket socket)
    {
        lock (_lock)
        {
            _routed = socket;
            foreach (var room in RoomsLocked())
                socket.Join(room);
        }
    }

    /// <summary>Applies a subscribe; false (and nothing changed) when the set would exceed <see cref="MaxNames"/>.</summary>
    public bool Subscribe(IReadOnlyList<string> names)
    {
        return Change(() =>
        {
            if (!_chosen)
            {
                _chosen = true;
                _everything = false;
                _names.Clear();
                _except.Clear();
            }

            foreach (var name in names)
            {
                if (name == Everything)
                {
                    _everything = true;
                    _names.Clear();
                }
                else if (_everything)
                    _except.Remove(name);
                else
                    _names.Add(name);
            }
        });
    }

    /// <summary>Applies an unsubscribe; false (and nothing changed) when the exclusions would exceed <see cref="MaxNames"/>.</summary>
    public bool Unsubscribe(IReadOnlyList<string> names)
    {
        return Change(() =>
        {
            foreach (var name in names)
            {
                if (name == Everything)
                {
                    _everything = false;
                    _except.Clear();
                }
                else if (_everything)
                    _except.Add(name);
                else
                    _names.Remove(name);
            }
        });
    }

    /// <summary>Writes <c>"subscribed":[...]</c> and, while anything is excluded, <c>"except":[...]</c>.</summary>
    public void WriteProperties(Utf8JsonWriter writer)
    {
        lock (_lock)
        {
            writer.WriteStartArray("subscribed"u8);
            if (_everything)
                writer.WriteStringValue(Everything);
            else
                foreach (var name in _names)
                    writer.WriteStringValue(name);
            writer.WriteEndArray();
            if (_everything && _except.Count > 0)
            {
                writer.WriteStartArray("except"u8);
                foreach (var name in _except)
                    writer.WriteStringValue(name);
                writer.WriteEndArray();
            }
        }
    }

    private bool Change(Action change)
    {
        lock (_lock)
        {
            var before = RoomsLocked();
            var (chosen, everything, names, except) = (_chosen, _everything, _names.ToArray(), _except.ToArray());
            change();
            if (_names.Count > MaxNames || _except.Count > MaxNames)
            {
                (_chosen, _everything) = (chosen, everything);
                _names.Clear();
                _names.UnionWith(names);
                _except.Clear();
                _except.UnionWith(except);
                return false;
            }
            if (_routed is not { } socket)
                return true;
            var after = RoomsLocked();
            // Join before leaving: a broadcast meanwhile unions rooms, so it reaches the socket once, not never.
            foreach (var room in after)
                if (!before.Contains(room))
                    socket.Join(room);
            foreach (var room in before)
                if (!after.Contains(room))
                    socket.Leave(room);
            return true;
        }
    }

    private HashSet<string> RoomsLocked()
    {
        var rooms = new HashSet<string>(StringComparer.Ordinal);
        if (_everything)
        {
            rooms.Add(RoomNames.All);
            foreach (var name in _except)
                rooms.Add(RoomNames.Except(name));
        }
        else
            foreach (var name in _names)
                rooms.Add(RoomNames.Type(name));
        return rooms;
    }
}
