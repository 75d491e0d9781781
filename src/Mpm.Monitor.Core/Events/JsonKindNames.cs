using System.Text.Json;

namespace Mpm.Monitor.Core.Events;

/// <summary>How error messages name a JSON value's kind ("expected an object, got an array").</summary>
public static class JsonKindNames
{
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
