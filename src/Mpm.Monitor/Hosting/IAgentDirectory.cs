namespace Mpm.Monitor.Hosting;

/// <summary>
/// The agents seen so far (for <c>/agents</c> and <c>/status</c>). Seam: the event pipeline's
/// projections provide the real implementation.
/// </summary>
public interface IAgentDirectory
{
    IReadOnlyList<AgentSummary> GetAgents();
}

/// <summary>One agent as <c>GET /agents</c> shows it.</summary>
/// <param name="Status"><c>active</c> or <c>idle</c>.</param>
public sealed record AgentSummary(string Name, string Status, long Invocations, DateTimeOffset LastSeen)
{
    public const string Active = "active";
    public const string Idle = "idle";
}

/// <summary>Stands in until the event pipeline is wired up.</summary>
internal sealed class NoAgents : IAgentDirectory
{
    public IReadOnlyList<AgentSummary> GetAgents() => [];
}
