using System.Text.Json;
using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Pipeline;
using Mpm.Monitor.Core.Storage;

namespace Mpm.Monitor.Http;

/// <summary><c>POST /api/events</c> (ingest) and <c>GET /api/events</c> (history), CONTRACT §3 and §4.</summary>
public static class EventEndpoints
{
    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/events", PostAsync);
        endpoints.MapGet("/api/events", GetAsync);
        return endpoints;
    }

    private static async Task PostAsync(HttpContext context, EventPipeline pipeline, IClaudeMpmEventTranslator claudeMpm)
    {
        if (await IngestResponses.RefuseOversizedAsync(context))
        {
            return;
        }

        JsonDocument document;
        try
        {
            // Parses straight from the request stream into pooled buffers: no string copy of the body.
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException e)
        {
            await EventApiError.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_json", "the body is not valid JSON: " + e.Message);
            return;
        }
        catch (Exception e) when (IngestResponses.IsBodyTooLarge(e))
        {
            await IngestResponses.WriteBodyTooLargeAsync(context);
            return;
        }

        using (document)
        {
            // The parser lets invalid UTF-8 inside strings through; reading such a string later would throw.
            if (!System.Text.Unicode.Utf8.IsValid(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(document.RootElement)))
            {
                await EventApiError.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_json", "the body is not valid UTF-8");
                return;
            }

            var events = new List<IncomingEvent>();
            var sources = new List<int>();
            bool isBatch = document.RootElement.ValueKind == JsonValueKind.Array;
            string? problem;
            try
            {
                problem = await ReadBodyAsync(document.RootElement, claudeMpm, events, sources, context.RequestAborted);
            }
            catch (InvalidOperationException e)
            {
                // e.g. a lone UTF-16 surrogate escape ("\ud800") in a string that must be read.
                await EventApiError.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_event", "a string in the body cannot be read: " + e.Message);
                return;
            }
            if (problem is not null)
            {
                await EventApiError.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_event", problem);
                return;
            }

            IReadOnlyList<StoredEvent> stored;
            try
            {
                stored = await pipeline.PublishAsync(events, context.RequestAborted);
            }
            catch (EventRejectedException e)
            {
                string where = isBatch && e.ItemIndex is int i ? $"events[{sources[i]}]: " : "";
                bool tooLarge = e.Reason == EventRejection.TooLarge;
                await EventApiError.WriteAsync(
                    context,
                    tooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                    tooLarge ? "payload_too_large" : "invalid_event",
                    where + e.Detail);
                return;
            }
            catch (Exception e) when (IngestResponses.IsUnavailable(e))
            {
                await IngestResponses.WriteUnavailableAsync(context, e);
                return;
            }

            await IngestResponses.WriteAcceptedAsync(context, [.. stored.Select(e => e.Id)]);
        }
    }

    /// <summary>Collects the events of a body; returns why it is unacceptable, or null.</summary>
    private static async Task<string?> ReadBodyAsync(JsonElement root, IClaudeMpmEventTranslator claudeMpm, List<IncomingEvent> events, List<int> sources, CancellationToken cancellationToken)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            int count = root.GetArrayLength();
            if (count > EventPipeline.MaxBatch)
            {
                return $"the batch holds {count} events; at most {EventPipeline.MaxBatch} are accepted in one request";
            }

            int index = 0;
            foreach (var item in root.EnumerateArray())
            {
                if (await ReadItemAsync(item, claudeMpm, events, cancellationToken) is string problem)
                {
                    return $"events[{index}]: {problem}";
                }

                while (sources.Count < events.Count)
                {
                    sources.Add(index);
                }

                index++;
            }

            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return $"the body must be an event object {{\"event\":\"NAME\",\"data\":{{...}}}} or an array of them, not {JsonKindNames.Describe(root.ValueKind)}";
        }

        return await ReadItemAsync(root, claudeMpm, events, cancellationToken);
    }

    private static async Task<string?> ReadItemAsync(JsonElement item, IClaudeMpmEventTranslator claudeMpm, List<IncomingEvent> events, CancellationToken cancellationToken)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return $"an event must be an object {{\"event\":\"NAME\",\"data\":{{...}}}}, not {JsonKindNames.Describe(item.ValueKind)}";
        }

        if (!item.TryGetProperty("event", out var name))
        {
            return "\"event\" (the event name) is required";
        }

        if (name.ValueKind != JsonValueKind.String)
        {
            return $"\"event\" must be a string, not {JsonKindNames.Describe(name.ValueKind)}";
        }

        if (!item.TryGetProperty("data", out var data))
        {
            return "\"data\" (a JSON object) is required";
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            return $"\"data\" must be a JSON object, not {JsonKindNames.Describe(data.ValueKind)}";
        }

        string eventName = name.GetString()!;
        if (eventName == IClaudeMpmEventTranslator.ClaudeMpmEventName)
        {
            try
            {
                await claudeMpm.TranslateAsync(data, events, cancellationToken);
            }
            catch (EventRejectedException e)
            {
                return e.Detail;
            }

            return null;
        }

        events.Add(new IncomingEvent(eventName, data));
        return null;
    }

    private static async Task GetAsync(HttpContext context, EventPipeline pipeline)
    {
        var query = context.Request.Query;
        long since = 0;
        int limit = EventQuery.DefaultLimit;
        if (query.TryGetValue("since", out var sinceText) && (!long.TryParse(sinceText, out since) || since < 0))
        {
            await EventApiError.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_query", $"since must be an event id (a non-negative integer), not \"{sinceText}\"");
            return;
        }

        if (query.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, out limit) || limit < 1))
        {
            await EventApiError.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_query", $"limit must be an integer from 1 to {EventQuery.MaxLimit}, not \"{limitText}\"");
            return;
        }

        List<string>? types = null;
        if (query.TryGetValue("types", out var typesText))
        {
            types = [];
            foreach (var type in typesText.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!EventName.IsValid(type))
                {
                    await EventApiError.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_query", $"types: \"{type}\" is not an event name ({EventName.Pattern})");
                    return;
                }

                types.Add(type);
            }
        }

        string? sessionId = query.TryGetValue("session_id", out var sessionText) && sessionText.ToString().Length > 0 ? sessionText.ToString() : null;
        var events = await pipeline.Store.ReadAsync(
            new EventQuery(since, types, sessionId, Math.Min(limit, EventQuery.MaxLimit)),
            context.RequestAborted);

        // An event may be stored a moment before the pipeline counts it as done; never report less than what is shown.
        long lastEventId = Math.Max(pipeline.LastEventId, events.Count > 0 ? events[^1].Id : 0);
        context.Response.ContentType = EventApiError.JsonContentType;
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, new JsonWriterOptions { SkipValidation = true });
        writer.WriteStartObject();
        writer.WriteStartArray("events"u8);
        foreach (var e in events)
        {
            // The stored bytes as they are: each event was serialised once, when it was published.
            writer.WriteRawValue(e.Payload.Span, skipInputValidation: true);
        }

        writer.WriteEndArray();
        writer.WriteNumber("last_event_id"u8, lastEventId);
        writer.WriteEndObject();
    }

}
