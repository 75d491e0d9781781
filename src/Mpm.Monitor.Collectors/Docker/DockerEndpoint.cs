namespace Mpm.Monitor.Collectors.Docker;

/// <summary>Where the engine listens: <c>unix:///path/to/docker.sock</c> or <c>tcp://host:port</c>.</summary>
internal sealed record DockerEndpoint(string Original, string? SocketPath, Uri BaseAddress)
{
    public static DockerEndpoint Parse(string value)
    {
        if (TryParse(value, out var endpoint, out var error))
        {
            return endpoint;
        }
        throw new ArgumentException(error, nameof(value));
    }

    public static bool TryParse(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DockerEndpoint? endpoint, out string error)
    {
        endpoint = null;
        error = "";
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "docker.endpoint is empty; expected unix:///var/run/docker.sock or tcp://host:port";
            return false;
        }
        if (value.StartsWith("unix://", StringComparison.OrdinalIgnoreCase))
        {
            var path = value["unix://".Length..];
            if (!path.StartsWith('/'))
            {
                error = $"docker.endpoint '{value}': a unix socket needs an absolute path, e.g. unix:///var/run/docker.sock";
                return false;
            }
            // The host name is never sent anywhere: the connection is made to the socket.
            endpoint = new DockerEndpoint(value, path, new Uri("http://docker.sock/"));
            return true;
        }
        if (value.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase)
            && Uri.TryCreate("http://" + value["tcp://".Length..], UriKind.Absolute, out var uri)
            && uri.AbsolutePath == "/" && !uri.IsDefaultPort)
        {
            endpoint = new DockerEndpoint(value, null, new Uri($"http://{uri.Authority}/"));
            return true;
        }
        error = $"docker.endpoint '{value}' is not supported; expected unix:///path or tcp://host:port";
        return false;
    }

    public override string ToString() => Original;
}
