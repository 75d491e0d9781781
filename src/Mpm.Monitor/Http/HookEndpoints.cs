using System.Text.Json;
using System.Text.Json.Nodes;
using Mpm.Monitor.Core.Claude;
using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Pipeline;
using Mpm.Monitor.Hooks;

namespace Mpm.Monitor.Http;

/// <summary>
/// <c>POST /api/hooks/claude</c> (CONTRACT §3, §5): one raw Claude Code hook input, as <c>mpm hook</c>
/// forwards it, stored as the events it maps to; <c>202 {"accepted":N,"ids":[...]}</c> once durable.
/// </summary>
/// <remarks>
/// A request carrying <c>X-Mpm-Spool-Id</c> takes effect once per id: a repeat answers 202 with the ids
/// stored the first time (<see cref="ClaudeHookIngest"/>).
/// </remarks>
internal static class HookEndpoints
{
    public static IEndpointRouteBuilder MapHookEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/hooks/claude", PostAsync);
        return endpoints;
    }

    private static async Task PostAsync(HttpContext context, ClaudeHookIngest ingest)
    {
        if (await IngestResponses.RefuseOversizedAsync(context))
        {
            return;
        }

        string? spoolId = null;
        if (context.Request.Headers.TryGetValue(HookForwarder.SpoolIdHeader, out var header))
        {
            spoolId = header.ToString();
            if (!HookSpool.IsValidId(spoolId))
            {
                await EventApiError.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_spool_id",
                    $"{HookForwarder.SpoolIdHeader} \"{Shorten(spoolId)}\" is not a spool id (19-digit ticks, 7-digit process, 4-digit sequence and 8 hex digits, joined by '-')");
                return;
            }
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
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

        if (body is not JsonObject input)
        {
            var kind = body is null ? "null" : JsonKindNames.Describe(body.GetValueKind());
            await EventApiError.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_hook",
                $"the body must be one Claude Code hook input, a JSON object with \"hook_event_name\", not {kind}");
            return;
        }

        IReadOnlyList<long> ids;
        try
        {
            ids = await ingest.IngestAsync(input, spoolId, observedAt: null, context.RequestAborted);
        }
        catch (HookInputRejectedException e)
        {
            await EventApiError.WriteAsync(
                context,
                e.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                e.TooLarge ? "payload_too_large" : "invalid_hook",
                e.Message);
            return;
        }
        catch (Exception e) when (IngestResponses.IsUnavailable(e))
        {
            await IngestResponses.WriteUnavailableAsync(context, e);
            return;
        }
        catch (InvalidOperationException e)
        {
            // The parser passes invalid UTF-8 and lone surrogate escapes ("\ud800") through; reading them throws.
            await EventApiError.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_hook", "a string in the body cannot be read: " + e.Message);
            return;
        }

        await IngestResponses.WriteAcceptedAsync(context, ids);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
