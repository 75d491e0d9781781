using Microsoft.Extensions.Options;
using Mpm.Monitor.Configuration;
using Mpm.Monitor.Hosting;

namespace Mpm.Monitor.Http;

/// <summary><c>GET /health</c>, <c>GET /status</c> and <c>GET /agents</c> (CONTRACT §3).</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", (MonitorUptime uptime, IRealtimeConnectionCount connections) =>
            new HealthResponse("healthy", (long)uptime.Elapsed.TotalSeconds, connections.Count));

        endpoints.MapGet("/status", async (IAgentDirectory agents, IDockerStatus docker, RequestCounter requests,
            IOptions<MonitoringOptions> options, CancellationToken cancellationToken) =>
        {
            var dockerState = await docker.GetAvailabilityAsync(cancellationToken);
            return new StatusResponse(
                Agents: "healthy",
                McpGateway: "not_configured",
                Websocket: options.Value.Websocket.Enabled ? "healthy" : "disabled",
                Docker: dockerState.ToString().ToLowerInvariant(),
                Storage: "healthy",
                Metrics: new StatusMetrics(
                    agents.GetAgents().Count(a => a.Status == AgentSummary.Active),
                    requests.Total));
        });

        endpoints.MapGet("/agents", (IAgentDirectory agents) =>
            new AgentsResponse([.. agents.GetAgents().Select(a => new AgentEntry(a.Name, a.Status, a.Invocations, a.LastSeen))]));

        return endpoints;
    }
}
