using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Mpm.Monitor.Configuration;

namespace Mpm.Monitor.Hosting;

/// <summary>Asks the Docker engine at <c>docker.endpoint</c> for <c>GET /_ping</c>.</summary>
internal sealed class DockerPing : IDockerStatus, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly DockerOptions _options;
    private readonly HttpClient? _client;

    public DockerPing(IOptions<MonitoringOptions> options)
    {
        _options = options.Value.Docker;
        if (_options.Enabled)
        {
            _client = CreateClient(new Uri(_options.Endpoint));
        }
    }

    public async Task<DockerAvailability> GetAvailabilityAsync(CancellationToken cancellationToken)
    {
        if (_client is null)
        {
            return DockerAvailability.Disabled;
        }
        try
        {
            using var response = await _client.GetAsync("_ping", cancellationToken);
            return response.IsSuccessStatusCode ? DockerAvailability.Healthy : DockerAvailability.Unavailable;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return DockerAvailability.Unavailable;
        }
    }

    public void Dispose() => _client?.Dispose();

    private static HttpClient CreateClient(Uri endpoint)
    {
        if (endpoint.Scheme == "tcp")
        {
            return new HttpClient { BaseAddress = new Uri($"http://{endpoint.Authority}/"), Timeout = Timeout };
        }
        var socketPath = endpoint.AbsolutePath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://docker/"), Timeout = Timeout };
    }
}
