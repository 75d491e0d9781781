using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Mpm.Monitor.Core.Pipeline;

namespace Mpm.Monitor.Http;

/// <summary>What the ingest endpoints (<c>/api/events</c>, <c>/api/hooks/claude</c>) share: the body limit, "try later", and 202.</summary>
internal static class IngestResponses
{
    /// <summary>The largest request body an ingest endpoint reads (CONTRACT §3).</summary>
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    /// <summary>Applies the body limit; answers 413 and returns true when the declared length is over it.</summary>
    public static async Task<bool> RefuseOversizedAsync(HttpContext context)
    {
        var bodyLimit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (bodyLimit is { IsReadOnly: false })
        {
            bodyLimit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await EventApiError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "payload_too_large", $"the request body is {context.Request.ContentLength} bytes; the limit is {MaxBodyBytes}");
            return true;
        }
        return false;
    }

    /// <summary>True for the body limit tripping while the body is read (a body without a declared length).</summary>
    public static bool IsBodyTooLarge(Exception e) => e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge };

    public static Task WriteBodyTooLargeAsync(HttpContext context) =>
        EventApiError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "payload_too_large", $"the request body is over the limit of {MaxBodyBytes} bytes");

    /// <summary>True for failures that are not the sender's: the store failing, the monitor stopping.</summary>
    public static bool IsUnavailable(Exception e) => e is EventStoreUnavailableException or EventPipelineStoppedException;

    public static Task WriteUnavailableAsync(HttpContext context, Exception e) =>
        EventApiError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, e is EventPipelineStoppedException ? "stopping" : "storage_unavailable", e.Message);

    /// <summary><c>202 {"accepted":N,"ids":[...]}</c>.</summary>
    public static async Task WriteAcceptedAsync(HttpContext context, IReadOnlyList<long> ids)
    {
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = EventApiError.JsonContentType;
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteNumber("accepted"u8, ids.Count);
        writer.WriteStartArray("ids"u8);
        foreach (var id in ids)
        {
            writer.WriteNumberValue(id);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
