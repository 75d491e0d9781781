using System.Text.Json;
using Mpm.Monitor.Core.Projections;

namespace Mpm.Monitor.Http;

/// <summary><c>GET /api/sessions</c>, from the sessions projection (CONTRACT §3).</summary>
public static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/sessions", async (HttpContext context, MonitorState state) =>
        {
            context.Response.ContentType = EventApiError.JsonContentType;
            await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
            writer.WriteStartObject();
            writer.WritePropertyName("sessions"u8);
            JsonSerializer.Serialize(writer, state.GetSessions());
            writer.WriteEndObject();
        });
        return endpoints;
    }
}
