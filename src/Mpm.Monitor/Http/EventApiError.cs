using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mpm.Monitor.Http;

/// <summary>The contract's error body, <c>{"error":{"code":"...","message":"..."}}</c>, for the event endpoints.</summary>
internal static class EventApiError
{
    public const string JsonContentType = "application/json; charset=utf-8";

    public static async Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        ErrorResponses.WriteBody(writer, code, message);
    }
}
