using Microsoft.Extensions.Options;
using Mpm.Monitor.Collectors.Docker;
using Mpm.Monitor.Configuration;
using Mpm.Monitor.Core.Projections;
using Mpm.Monitor.Hosting;
using Mpm.Monitor.SocketIO;

namespace Mpm.Monitor.Http;

/// <summary><c>GET /health</c>, <c>GET /status</c> and <c>GET /agents</c> (CONTRACT §3).</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", (MonitorUptime uptime, SocketIOServer io) =>
            new HealthResponse("healthy", (long)uptime.Elapsed.TotalSeconds, io.Sockets.SocketCount));

        endpoints.MapGet("/status", (MonitorState state, DockerStatusSource docker, RequestCounter requests,
            IOptions<MonitoringOptions> options) =>
            new StatusResponse(
                Agents: "healthy",
                McpGateway: "not_configured",
                Websocket: options.Value.Websocket.Enabled ? "healthy" : "disabled",
                Docker: docker.Status,
                Storage: "healthy",
                Metrics: new StatusMetrics(state.GetTotals().ActiveAgents, requests.Total)));

        endpoints.MapGet("/agents", (MonitorState state) =>
            new AgentsResponse(state.GetAgents()));

        return endpoints;
    }
}
