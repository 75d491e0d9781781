using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Mpm.Monitor.Collectors.Docker.Api;

namespace Mpm.Monitor.Collectors.Docker;

/// <summary>
/// A small typed client of the Docker Engine API over its unix socket or TCP. The API version is
/// negotiated from <c>GET /version</c> (capped at <see cref="MaxApiVersion"/>) and renegotiated
/// after the engine has been unreachable, since a restarted engine may be another version.
/// Streams (stats, events, logs) are read incrementally, never buffered whole.
/// </summary>
internal sealed class DockerClient : IDisposable
{
    /// <summary>The newest API this client is written against; Debian 12's engine offers 1.41.</summary>
    public static readonly Version MaxApiVersion = new(1, 41);

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly DockerEndpoint _endpoint;
    private volatile string? _versionPrefix;

    public DockerClient(DockerEndpoint endpoint)
    {
        _endpoint = endpoint;
        var handler = new SocketsHttpHandler
        {
            // Streams stay open for as long as a container runs; idle pooled ones are dropped soon.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseProxy = false,
        };
        if (endpoint.SocketPath is { } path)
        {
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        _http = new HttpClient(handler) { BaseAddress = endpoint.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The negotiated version, e.g. "1.41"; asks the engine when not yet known.</summary>
    public async Task<string> GetApiVersionAsync(CancellationToken cancellationToken)
    {
        if (_versionPrefix is { } known)
        {
            return known[2..^1];
        }
        var response = await GetJsonAsync("version", DockerJsonContext.Default.VersionResponse, cancellationToken).ConfigureAwait(false);
        var negotiated = MaxApiVersion;
        if (Version.TryParse(response.ApiVersion, out var offered) && offered < negotiated)
        {
            negotiated = offered;
        }
        var text = $"{negotiated.Major}.{negotiated.Minor}";
        _versionPrefix = $"/v{text}/";
        return text;
    }

    /// <summary>Succeeds when the engine answers <c>GET /_ping</c>; renegotiates the version after an outage.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        (await SendAsync("_ping", null, timeout.Token).ConfigureAwait(false)).Dispose();
        await GetApiVersionAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ContainerListItem[]> ListRunningContainersAsync(CancellationToken cancellationToken)
    {
        var path = await VersionedAsync("containers/json", cancellationToken).ConfigureAwait(false);
        return await GetJsonAsync(path, DockerJsonContext.Default.ContainerListItemArray, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ContainerInspectResponse> InspectContainerAsync(string id, CancellationToken cancellationToken)
    {
        var path = await VersionedAsync($"containers/{Uri.EscapeDataString(id)}/json", cancellationToken).ConfigureAwait(false);
        return await GetJsonAsync(path, DockerJsonContext.Default.ContainerInspectResponse, cancellationToken, id).ConfigureAwait(false);
    }

    /// <summary>
    /// The open <c>stats?stream=true</c> response: newline-separated JSON frames, one about every
    /// second for as long as the container runs. The caller reads and disposes it.
    /// </summary>
    public async Task<HttpResponseMessage> OpenStatsStreamAsync(string id, CancellationToken cancellationToken)
    {
        var path = await VersionedAsync($"containers/{Uri.EscapeDataString(id)}/stats?stream=true", cancellationToken).ConfigureAwait(false);
        return await SendAsync(path, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Container events from <paramref name="sinceUnixNanos"/> (when given) on, until cancelled or the engine goes away.</summary>
    public async IAsyncEnumerable<EngineEvent> StreamEventsAsync(long? sinceUnixNanos, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = "events?filters=" + Uri.EscapeDataString("""{"type":["container"]}""");
        if (sinceUnixNanos is { } since)
        {
            query += $"&since={since / 1_000_000_000}.{since % 1_000_000_000:D9}";
        }
        var path = await VersionedAsync(query, cancellationToken).ConfigureAwait(false);
        await foreach (var message in StreamJsonAsync(path, DockerJsonContext.Default.EngineEvent, null, cancellationToken).ConfigureAwait(false))
        {
            yield return message;
        }
    }

    /// <summary>The last <paramref name="tail"/> lines of stdout and stderr, demultiplexed unless the container has a TTY.</summary>
    public async Task<IReadOnlyList<string>> ReadLogLinesAsync(string id, int tail, CancellationToken cancellationToken)
    {
        var details = await InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
        var path = await VersionedAsync($"containers/{Uri.EscapeDataString(details.Id)}/logs?stdout=1&stderr=1&tail={tail}", cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var response = await SendAsync(path, id, timeout.Token).ConfigureAwait(false);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            return await LogLineReader.ReadAsync(stream, multiplexed: details.Config?.Tty != true, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            throw Unavailable(ex);
        }
    }

    private async Task<string> VersionedAsync(string relative, CancellationToken cancellationToken)
    {
        if (_versionPrefix is null)
        {
            await GetApiVersionAsync(cancellationToken).ConfigureAwait(false);
        }
        return _versionPrefix + relative;
    }

    private async Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken, string? containerId = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var response = await SendAsync(path, containerId, timeout.Token).ConfigureAwait(false);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(stream, type, timeout.Token).ConfigureAwait(false)
                ?? throw new DockerApiException(response.StatusCode, path, "empty body");
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            throw Unavailable(ex);
        }
    }

    private async IAsyncEnumerable<T> StreamJsonAsync<T>(string path, JsonTypeInfo<T> type, string? containerId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendAsync(path, containerId, cancellationToken).ConfigureAwait(false);
        IAsyncEnumerator<T?> values;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            values = JsonSerializer.DeserializeAsyncEnumerable(stream, type, topLevelValues: true, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            throw Unavailable(ex);
        }
        await using (values.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await values.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
                {
                    throw Unavailable(ex);
                }
                if (values.Current is { } value)
                {
                    yield return value;
                }
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string? containerId, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            throw Unavailable(ex);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var message = await ReadErrorMessageAsync(response, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound && containerId is not null)
            {
                throw new ContainerNotFoundException(containerId, message);
            }
            throw new DockerApiException(response.StatusCode, path, message);
        }
    }

    private static async Task<string> ReadErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var error = await JsonSerializer.DeserializeAsync(stream, DockerJsonContext.Default.EngineError, cancellationToken).ConfigureAwait(false);
            return error?.Message ?? response.ReasonPhrase ?? "no message";
        }
        catch (JsonException)
        {
            return response.ReasonPhrase ?? "no message";
        }
    }

    /// <summary>
    /// Failures that mean "the engine is not there (any more)": refused or absent socket, a reset
    /// stream, or our own request timeout — but not the caller's cancellation.
    /// </summary>
    private static bool IsTransportFailure(Exception ex, CancellationToken callerToken) => ex switch
    {
        OperationCanceledException => !callerToken.IsCancellationRequested,
        HttpRequestException or IOException or SocketException => true,
        _ => false,
    };

    private DockerUnavailableException Unavailable(Exception ex)
    {
        _versionPrefix = null;
        var reason = ex is OperationCanceledException ? $"no answer within {RequestTimeout.TotalSeconds:0} s" : Innermost(ex).Message;
        return new DockerUnavailableException($"Docker engine unavailable at {_endpoint}: {reason}", ex);
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is { } inner)
        {
            ex = inner;
        }
        return ex;
    }

    public void Dispose() => _http.Dispose();
}
