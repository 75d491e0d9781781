namespace Mpm.Monitor.Hosting;

/// <summary>
/// Whether the Docker engine answers (for <c>/status</c>). Seam: the collectors' Docker client
/// may provide the real implementation; <see cref="DockerPing"/> serves until then.
/// </summary>
public interface IDockerStatus
{
    Task<DockerAvailability> GetAvailabilityAsync(CancellationToken cancellationToken);
}

public enum DockerAvailability
{
    Healthy,
    Unavailable,
    Disabled,
}
