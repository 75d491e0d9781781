using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Mpm.Monitor.Collectors;
using Mpm.Monitor.Collectors.Docker;

namespace Mpm.Monitor.Http;

/// <summary><c>GET /api/containers</c>, <c>GET /api/containers/{id}/logs</c> and <c>GET /api/system</c> (CONTRACT §3).</summary>
public static partial class ContainerEndpoints
{
    public static IEndpointRouteBuilder MapContainerEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/containers", GetContainers);
        endpoints.MapGet("/api/containers/{id}/logs", GetLogsAsync);
        endpoints.MapGet("/api/system", GetSystem);
        return endpoints;
    }

    private static IResult GetContainers(LatestStats latest) => Results.Json(latest.ContainersSnapshot());

    private static async Task<IResult> GetLogsAsync(string id, string? tail, ContainerLogs logs, CancellationToken cancellationToken)
    {
        if (!ContainerIdPattern().IsMatch(id))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_container_id",
                $"'{id}' is not a container id or name (letters, digits, '_', '.', '-', at most 128)");
        }
        var lines = ContainerLogs.DefaultTail;
        if (tail is not null
            && (!int.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out lines) || lines > ContainerLogs.MaxTail))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_tail",
                $"tail must be a whole number from 0 to {ContainerLogs.MaxTail}, not '{tail}'");
        }
        try
        {
            return Results.Json(new LogsResponse(id, await logs.ReadAsync(id, lines, cancellationToken)));
        }
        catch (ContainerNotFoundException)
        {
            return Error(StatusCodes.Status404NotFound, "container_not_found", $"no container '{id}'");
        }
        catch (DockerUnavailableException ex)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, "docker_unavailable", ex.Message);
        }
    }

    private static IResult GetSystem(LatestStats latest, IOptions<CollectorOptions> options)
    {
        if (latest.System is { } system)
        {
            return Results.Json(system);
        }
        return options.Value.MetricsEnabled
            ? Error(StatusCodes.Status503ServiceUnavailable, "not_ready", "the first system_stats sample is not taken yet; try again in a second")
            : Error(StatusCodes.Status503ServiceUnavailable, "metrics_disabled", "system statistics are off (metrics.enabled: false)");
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new ErrorResponse(new ErrorDetail(code, message)), statusCode: status);

    // Docker's own rule for names ([a-zA-Z0-9][a-zA-Z0-9_.-]) also covers ids and id prefixes.
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")]
    private static partial System.Text.RegularExpressions.Regex ContainerIdPattern();

    private sealed record LogsResponse(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("lines")] IReadOnlyList<string> Lines);

    private sealed record ErrorResponse([property: JsonPropertyName("error")] ErrorDetail Error);

    private sealed record ErrorDetail(
        [property: JsonPropertyName("code")] string Code,
        [property: JsonPropertyName("message")] string Message);
}
