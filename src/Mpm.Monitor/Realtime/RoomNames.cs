namespace Mpm.Monitor.Realtime;

/// <summary>
/// The Socket.IO rooms a broadcast is routed through. A socket subscribed to everything is in
/// <see cref="All"/> plus one exclusion room per name it unsubscribed; a socket with an explicit
/// list is in one room per name. The two never mix, so "type:X ∪ all − except:X" reaches exactly
/// the sockets subscribed to X.
/// </summary>
internal static class RoomNames
{
    public const string All = "all";

    public static string Type(string eventName) => "type:" + eventName;

    public static string Except(string eventName) => "except:" + eventName;
}
