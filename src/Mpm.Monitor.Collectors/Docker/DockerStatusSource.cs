using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mpm.Monitor.Collectors.Docker;

/// <summary>
/// The engine's state for <c>GET /status</c>: "healthy", "unavailable" or "disabled". The
/// collectors report every contact with the engine here; only a change of state is logged,
/// so a missing engine is said once and then retried quietly.
/// </summary>
public sealed partial class DockerStatusSource
{
    public const string Healthy = "healthy";
    public const string Unavailable = "unavailable";
    public const string Disabled = "disabled";

    private readonly ILogger<DockerStatusSource> _logger;
    private readonly string _endpoint;
    private readonly Lock _gate = new();
    private string _status;
    private bool _contacted;

    public DockerStatusSource(IOptions<CollectorOptions> options, ILogger<DockerStatusSource> logger)
    {
        _logger = logger;
        _endpoint = options.Value.DockerEndpoint;
        // Until the engine has answered once, it is not known to be there.
        _status = options.Value.DockerEnabled ? Unavailable : Disabled;
    }

    /// <summary>"healthy", "unavailable" or "disabled".</summary>
    public string Status => Volatile.Read(ref _status);

    internal void ReportHealthy()
    {
        lock (_gate)
        {
            if (_status == Healthy)
            {
                return;
            }
            _status = Healthy;
            _contacted = true;
        }
        LogAvailable(_logger, _endpoint);
    }

    internal void ReportUnavailable(DockerUnavailableException error)
    {
        lock (_gate)
        {
            var first = !_contacted;
            if (_status == Unavailable && !first)
            {
                return;
            }
            _status = Unavailable;
            _contacted = true;
        }
        LogUnavailable(_logger, error.Message);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Docker engine available at {Endpoint}")]
    private static partial void LogAvailable(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}; container statistics are off until it answers (retrying quietly)")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
