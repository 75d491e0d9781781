namespace Mpm.Monitor.Collectors.Docker;

/// <summary>The engine answered 404 for a container id or name.</summary>
public sealed class ContainerNotFoundException : Exception
{
    public ContainerNotFoundException(string containerId, string engineMessage)
        : base($"no such container: {containerId} ({engineMessage})")
    {
        ContainerId = containerId;
    }

    public string ContainerId { get; }
}
