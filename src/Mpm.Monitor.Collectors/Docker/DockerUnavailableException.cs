namespace Mpm.Monitor.Collectors.Docker;

/// <summary>The Docker engine cannot be reached (socket absent, connection refused, engine gone mid-stream).</summary>
public sealed class DockerUnavailableException : Exception
{
    public DockerUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
