using Mpm.Monitor.Core.Projections;
using System.Text.Json.Serialization;

namespace Mpm.Monitor.Http;

/// <summary><c>GET /health</c>.</summary>
public sealed record HealthResponse(string Status, long Uptime, int Connections);

/// <summary><c>GET /status</c>.</summary>
public sealed record StatusResponse(
    string Agents,
    [property: JsonPropertyName("mcp_gateway")] string McpGateway,
    string Websocket,
    string Docker,
    string Storage,
    StatusMetrics Metrics);

public sealed record StatusMetrics(
    [property: JsonPropertyName("active_agents")] int ActiveAgents,
    [property: JsonPropertyName("total_requests")] long TotalRequests);

/// <summary><c>GET /agents</c>: the projection's views, which carry the contract's names.</summary>
public sealed record AgentsResponse(IReadOnlyList<AgentView> Agents);
