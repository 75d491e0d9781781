using System.Net;

namespace Mpm.Monitor.Collectors.Docker;

/// <summary>The engine answered with an error status other than 404.</summary>
internal sealed class DockerApiException : Exception
{
    public DockerApiException(HttpStatusCode statusCode, string path, string engineMessage)
        : base($"Docker engine answered {(int)statusCode} to {path}: {engineMessage}")
    {
        StatusCode = statusCode;
    }

    public HttpStatusCode StatusCode { get; }
}
