using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Mpm.Monitor.Http;

/// <summary>The one error shape of the API: <c>{"error":{"code":"...","message":"..."}}</c>.</summary>
public static class ErrorResponses
{
    public sealed record ErrorBody(ErrorDetail Error);

    public sealed record ErrorDetail(string Code, string Message);

    public static IResult Error(int statusCode, string code, string message) =>
        Results.Json(new ErrorBody(new ErrorDetail(code, message)), statusCode: statusCode);

    /// <summary>Writes the error body with a <see cref="Utf8JsonWriter"/>, for replies built from raw bytes (ingest, Socket.IO).</summary>
    public static void WriteBody(Utf8JsonWriter writer, string code, string message)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        writer.WriteString("code"u8, code);
        writer.WriteString("message"u8, message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes the error body for a status code that nothing else described (404, 405, 413 ...).</summary>
    internal static Task WriteForStatusAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var code = ReasonPhrases.GetReasonPhrase(status).ToLowerInvariant().Replace(' ', '_');
        var message = status == StatusCodes.Status404NotFound
            ? $"no such resource: {context.Request.Method} {context.Request.Path}"
            : ReasonPhrases.GetReasonPhrase(status);
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        return context.Response.WriteAsJsonAsync(new ErrorBody(new ErrorDetail(code, message)), json);
    }
}
