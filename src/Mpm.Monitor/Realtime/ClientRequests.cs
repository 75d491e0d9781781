using System.Text.Json;
using Mpm.Monitor.Core.Events;
using Mpm.Monitor.SocketIO;

namespace Mpm.Monitor.Realtime;

/// <summary>
/// Reads the payloads of the client requests of CONTRACT §6. Each returns null and sets
/// <c>error</c> to a precise message when the payload is malformed.
/// </summary>
internal static class ClientRequests
{
    /// <summary>Names one subscribe or unsubscribe may list; bounds the rooms one request creates.</summary>
    public const int MaxNames = 256;

    /// <summary><c>{"events":["a","b"]}</c>; each name valid or <c>"*"</c>.</summary>
    public static IReadOnlyList<string>? EventNames(SocketEvent request, out string error)
    {
        error = "";
        if (!SingleObject(request, required: true, out var payload, ref error))
            return null;
        if (!payload.TryGetProperty("events"u8, out var events) || events.ValueKind != JsonValueKind.Array)
        {
            error = $"{request.Name} needs {{\"events\":[...]}}: 'events' must be an array of event names";
            return null;
        }
        if (events.GetArrayLength() > MaxNames)
        {
            error = $"'events' lists {events.GetArrayLength()} names; at most {MaxNames} per {request.Name}";
            return null;
        }
        var names = new List<string>(events.GetArrayLength());
        var index = 0;
        foreach (var item in events.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : null;
            if (name is null || (name != Subscriptions.Everything && !EventName.IsValid(name)))
            {
                error = name is null
                    ? $"events[{index}] must be a string, not {Describe(item.ValueKind)}"
                    : $"events[{index}] '{Clip(name)}' is not an event name (it must match {EventName.Pattern}, or be \"*\")";
                return null;
            }
            names.Add(name);
            index++;
        }
        return names;
    }

    /// <summary><c>{}</c> (or nothing) or <c>{"since":ID}</c>; ok is false when malformed.</summary>
    public static long? Since(SocketEvent request, out bool ok, out string error)
    {
        error = "";
        ok = SingleObject(request, required: false, out var payload, ref error);
        if (!ok || payload.ValueKind != JsonValueKind.Object || !payload.TryGetProperty("since"u8, out var since) || since.ValueKind == JsonValueKind.Null)
            return null;
        if (since.ValueKind == JsonValueKind.Number && since.TryGetInt64(out var id) && id >= 0)
            return id;
        ok = false;
        error = $"'since' must be a non-negative integer event id, not {Describe(since)}";
        return null;
    }

    /// <summary><c>{"event":"NAME","data":{...}}</c>; data may be left out (an empty object).</summary>
    public static (string Name, JsonElement Data)? CustomEvent(SocketEvent request, out string error)
    {
        error = "";
        if (!SingleObject(request, required: true, out var payload, ref error))
            return null;
        if (!payload.TryGetProperty("event"u8, out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
        {
            error = "emit needs {\"event\":\"NAME\",\"data\":{...}}: 'event' must be a string";
            return null;
        }
        var name = nameElement.GetString()!;
        if (!EventName.IsValid(name))
        {
            error = $"'event' '{Clip(name)}' is not an event name (it must match {EventName.Pattern})";
            return null;
        }
        if (!payload.TryGetProperty("data"u8, out var data) || data.ValueKind == JsonValueKind.Null)
            return (name, EmptyObject);
        if (data.ValueKind != JsonValueKind.Object)
        {
            error = $"'data' must be a JSON object, not {Describe(data.ValueKind)}";
            return null;
        }
        return (name, data);
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    private static bool SingleObject(SocketEvent request, bool required, out JsonElement payload, ref string error)
    {
        payload = default;
        if (request.Args.Count == 0 || request.Args[0].ValueKind == JsonValueKind.Null)
        {
            if (!required)
                return true;
            error = $"{request.Name} needs a JSON object payload";
            return false;
        }
        payload = request.Args[0];
        if (payload.ValueKind == JsonValueKind.Object)
            return true;
        error = $"{request.Name}'s payload must be a JSON object, not {Describe(payload.ValueKind)}";
        return false;
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? $"the number {Clip(value.GetRawText())}" : Describe(value.ValueKind);

    private static string Describe(JsonValueKind kind) => JsonKindNames.Describe(kind);

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
