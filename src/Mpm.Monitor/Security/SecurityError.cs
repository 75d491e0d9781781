using System.Text.Json.Serialization;

namespace Mpm.Monitor.Security;

/// <summary>The contract's error shape, <c>{"error":{"code","message"}}</c>, as written by the security checks.</summary>
internal sealed record SecurityError([property: JsonPropertyName("error")] SecurityErrorDetail Error)
{
    public static SecurityError Of(string code, string message) => new(new SecurityErrorDetail(code, message));

    public Task WriteAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(this, SecurityJsonContext.Default.SecurityError);
    }
}

internal sealed record SecurityErrorDetail(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);

[JsonSerializable(typeof(SecurityError))]
internal sealed partial class SecurityJsonContext : JsonSerializerContext;
