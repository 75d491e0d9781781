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
        if (value.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
        {
            // The port must be written out: the engine has no default one.
            var hostPort = value["tcp://".Length..].TrimEnd('/');
            var colon = hostPort.LastIndexOf(':');
            if (colon > 0 && !hostPort.EndsWith(']')
                && ushort.TryParse(hostPort[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
                && port > 0
                && Uri.TryCreate($"http://{hostPort}/", UriKind.Absolute, out var uri) && uri.AbsolutePath == "/")
            {
                endpoint = new DockerEndpoint(value, null, uri);
                return true;
            }
            error = $"docker.endpoint '{value}': expected tcp://host:port with a port number";
            return false;
        }
        error = $"docker.endpoint '{value}' is not supported; expected unix:///path or tcp://host:port";
        return false;
    }

    public override string ToString() => Original;
}
