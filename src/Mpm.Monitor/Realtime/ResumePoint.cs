using System.Globalization;
using System.Text.Json;
using Mpm.Monitor.SocketIO;

namespace Mpm.Monitor.Realtime;

/// <summary>
/// Where a connecting client resumes: <c>auth.last_event_id</c> (Socket.IO v5) or the
/// <c>last_event_id</c> query parameter (Engine.IO v3 clients, which have no auth).
/// </summary>
internal static class ResumePoint
{
    public const string Key = "last_event_id";

    /// <summary>The id to replay after, null when none was given; false when the value is not a non-negative integer.</summary>
    public static bool TryRead(Handshake handshake, out long? afterId, out string error)
    {
        afterId = null;
        error = "";
        if (handshake.Auth is { ValueKind: JsonValueKind.Object } auth && auth.TryGetProperty(Key, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var id) && id >= 0)
            {
                afterId = id;
                return true;
            }
            if (value.ValueKind == JsonValueKind.String && Parse(value.GetString()!, out afterId))
                return true;
            error = $"auth.{Key} must be a non-negative integer event id, not {value.GetRawText()}";
            return false;
        }
        if (handshake.Query.TryGetValue(Key, out var query) && query.Count > 0 && !string.IsNullOrEmpty(query[0]))
        {
            if (Parse(query[0]!, out afterId))
                return true;
            error = $"the {Key} query parameter must be a non-negative integer event id, not '{query[0]}'";
            return false;
        }
        return true;
    }

    private static bool Parse(string text, out long? id)
    {
        id = null;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return false;
        id = value;
        return true;
    }
}
