namespace Mpm.Monitor.Collectors;

/// <summary>The <c>metrics</c> and <c>docker</c> sections of configuration.yaml.</summary>
public sealed class CollectorOptions
{
    /// <summary><c>metrics.enabled</c>: sample system_stats and container_stats.</summary>
    public bool MetricsEnabled { get; set; } = true;

    /// <summary><c>metrics.interval</c>: time between samples (1 s to 1 h in configuration).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>docker.enabled</c>: talk to a Docker engine at all.</summary>
    public bool DockerEnabled { get; set; } = true;

    /// <summary><c>docker.endpoint</c>: <c>unix:///path</c> or <c>tcp://host:port</c>.</summary>
    public string DockerEndpoint { get; set; } = "unix:///var/run/docker.sock";
}
