using System.Text.Json;

namespace Mpm.Monitor.Core.Events;

/// <summary>
/// The field rules of the event types the contract defines (CONTRACT §4). Custom events are kept as
/// sent; only <c>session_id</c>, which the envelope lifts out, must be a string everywhere.
/// </summary>
internal static class KnownEventRules
{
    private static readonly string[] AgentActions = ["invoked", "completed", "failed", "prompt", "stopped"];
    private static readonly string[] FileOperations = ["read", "write", "edit", "create", "delete"];
    private static readonly string[] SessionStatuses = ["active", "ended"];

    public static void Validate(string type, JsonElement data)
    {
        OptionalString(data, "session_id");
        switch (type)
        {
            case EventTypes.AgentActivity:
                RequiredString(data, "agent");
                OneOf(data, "action", AgentActions, required: true);
                OptionalString(data, "description");
                OptionalString(data, "parent_agent");
                OptionalString(data, "tool");
                NonNegativeNumber(data, "duration_ms", required: false, integer: false);
                break;
            case EventTypes.FileOperation:
                RequiredString(data, "file");
                OneOf(data, "operation", FileOperations, required: true);
                NonNegativeNumber(data, "size", required: false, integer: true);
                OptionalString(data, "agent");
                OptionalString(data, "tool");
                if (data.TryGetProperty("content", out _))
                {
                    throw Invalid("file_operation must not carry the file's content: remove \"content\"");
                }

                break;
            case EventTypes.SessionUpdate:
                RequiredString(data, "session_id");
                NonNegativeNumber(data, "token_usage", required: true, integer: true);
                Fraction(data, "context_percentage");
                OneOf(data, "status", SessionStatuses, required: false);
                OptionalString(data, "model");
                foreach (var field in (ReadOnlySpan<string>)["input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens"])
                {
                    NonNegativeNumber(data, field, required: false, integer: true);
                }

                break;
            case EventTypes.ContainerStats:
                Required(data, "containers", JsonValueKind.Array, "an array");
                break;
            case EventTypes.ContainerEvent:
                Required(data, "container", JsonValueKind.Object, "an object");
                RequiredString(data, "action");
                break;
            case EventTypes.SystemStats:
                foreach (var field in (ReadOnlySpan<string>)["cpu_percent", "memory_used", "memory_total", "disk_used", "disk_total", "uptime"])
                {
                    NonNegativeNumber(data, field, required: false, integer: false);
                }

                Optional(data, "load_avg", JsonValueKind.Object, "an object");
                Optional(data, "network", JsonValueKind.Array, "an array");
                Optional(data, "top_processes", JsonValueKind.Array, "an array");
                break;
        }
    }

    private static EventRejectedException Invalid(string message) => new(EventRejection.Invalid, message);


    private static void RequiredString(JsonElement data, string field)
    {
        Required(data, field, JsonValueKind.String, "a string");
        if (data.GetProperty(field).GetString()!.Length == 0)
        {
            throw Invalid($"data.{field} must not be empty");
        }
    }

    private static void OptionalString(JsonElement data, string field) => Optional(data, field, JsonValueKind.String, "a string");

    private static void Required(JsonElement data, string field, JsonValueKind kind, string expected)
    {
        if (!data.TryGetProperty(field, out _))
        {
            throw Invalid($"data.{field} is required ({expected})");
        }

        Optional(data, field, kind, expected);
    }

    private static void Optional(JsonElement data, string field, JsonValueKind kind, string expected)
    {
        if (data.TryGetProperty(field, out var value) && value.ValueKind != kind)
        {
            throw Invalid($"data.{field} must be {expected}, not {JsonKindNames.Describe(value.ValueKind)}");
        }
    }

    private static void OneOf(JsonElement data, string field, string[] allowed, bool required)
    {
        if (!data.TryGetProperty(field, out var value))
        {
            if (required)
            {
                throw Invalid($"data.{field} is required (one of {string.Join(", ", allowed)})");
            }

            return;
        }

        if (value.ValueKind != JsonValueKind.String || Array.IndexOf(allowed, value.GetString()) < 0)
        {
            string got = value.ValueKind == JsonValueKind.String ? $"\"{value.GetString()}\"" : JsonKindNames.Describe(value.ValueKind);
            throw Invalid($"data.{field} must be one of {string.Join(", ", allowed)}, not {got}");
        }
    }

    private static void NonNegativeNumber(JsonElement data, string field, bool required, bool integer)
    {
        string expected = integer ? "a non-negative integer" : "a non-negative number";
        if (!data.TryGetProperty(field, out var value))
        {
            if (required)
            {
                throw Invalid($"data.{field} is required ({expected})");
            }

            return;
        }

        bool ok = value.ValueKind == JsonValueKind.Number
            && (integer ? value.TryGetInt64(out long l) && l >= 0 : value.GetDouble() >= 0);
        if (!ok)
        {
            string got = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : JsonKindNames.Describe(value.ValueKind);
            throw Invalid($"data.{field} must be {expected}, not {got}");
        }
    }

    private static void Fraction(JsonElement data, string field)
    {
        if (!data.TryGetProperty(field, out var value))
        {
            throw Invalid($"data.{field} is required (a number from 0 to 1)");
        }

        if (value.ValueKind != JsonValueKind.Number || value.GetDouble() is < 0 or > 1)
        {
            string got = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : JsonKindNames.Describe(value.ValueKind);
            throw Invalid($"data.{field} must be a number from 0 to 1 (a fraction, e.g. 0.225), not {got}");
        }
    }
}
