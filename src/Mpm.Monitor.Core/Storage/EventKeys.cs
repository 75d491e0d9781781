namespace Mpm.Monitor.Core.Storage;

/// <summary>
/// The keys under which the <c>event_keys</c> table finds the chunks holding an event type or a
/// session; the prefix keeps a session named like a type apart from it.
/// </summary>
internal static class EventKeys
{
    public static string OfType(string type) => "t:" + type;

    public static string OfSession(string sessionId) => "s:" + sessionId;
}
