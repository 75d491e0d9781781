using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Pipeline;
using Mpm.Monitor.Core.Storage;

namespace Mpm.Monitor.Http;

/// <summary><c>POST /api/events</c> (ingest) and <c>GET /api/events</c> (history), CONTRACT §3 and §4.</summary>
public static class EventEndpoints
{
    /// <summary>The largest request body <c>POST /api/events</c> reads.</summary>
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/events", PostAsync);
        endpoints.MapGet("/api/events", GetAsync);
        return endpoints;
    }

    private static async Task PostAsync(HttpContext context, EventPipeline pipeline, IClaudeMpmEventTranslator claudeMpm)
    {
        var bodyLimit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (bodyLimit is { IsReadOnly: false })
        {
            bodyLimit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await EventApiError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "payload_too_large", $"the request body is {context.Request.ContentLength} bytes; the limit is {MaxBodyBytes}");
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
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await EventApiError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "payload_too_large", $"the request body is over the limit of {MaxBodyBytes} bytes");
            return;
        }

        using (document)
        {
            var events = new List<IncomingEvent>();
            var sources = new List<int>();
            string? problem = ReadBody(document.RootElement, claudeMpm, events, sources, out bool isBatch, out int problemStatus);
            if (problem is not null)
            {
                await EventApiError.WriteAsync(context, problemStatus, "invalid_event", problem);
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
            catch (EventStoreUnavailableException e)
            {
                await EventApiError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "storage_unavailable", e.Message);
                return;
            }
            catch (InvalidOperationException e)
            {
                await EventApiError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "stopping", e.Message);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status202Accepted;
            context.Response.ContentType = EventApiError.JsonContentType;
            await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
            writer.WriteStartObject();
            writer.WriteNumber("accepted"u8, stored.Count);
            writer.WriteStartArray("ids"u8);
            foreach (var e in stored)
            {
                writer.WriteNumberValue(e.Id);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    /// <summary>Collects the events of a body; returns why it is unacceptable, or null.</summary>
    private static string? ReadBody(JsonElement root, IClaudeMpmEventTranslator claudeMpm, List<IncomingEvent> events, List<int> sources, out bool isBatch, out int status)
    {
        status = StatusCodes.Status400BadRequest;
        isBatch = root.ValueKind == JsonValueKind.Array;
        if (isBatch)
        {
            int count = root.GetArrayLength();
            if (count > EventPipeline.MaxBatch)
            {
                return $"the batch holds {count} events; at most {EventPipeline.MaxBatch} are accepted in one request";
            }

            int index = 0;
            foreach (var item in root.EnumerateArray())
            {
                if (ReadItem(item, claudeMpm, events) is string problem)
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

        return ReadItem(root, claudeMpm, events);
    }

    private static string? ReadItem(JsonElement item, IClaudeMpmEventTranslator claudeMpm, List<IncomingEvent> events)
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
                claudeMpm.Translate(data, events);
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
