using Microsoft.Extensions.Configuration;

namespace Mpm.Monitor.Configuration;

/// <summary>
/// The <c>monitoring:</c> section of configuration.yaml (CONTRACT §2), after precedence
/// (flag &gt; MPM_ environment &gt; file &gt; defaults), <c>~</c> expansion and validation.
/// Read it from DI as <c>IOptions&lt;MonitoringOptions&gt;</c>.
/// </summary>
public sealed class MonitoringOptions
{
    public const string SectionName = "monitoring";

    public bool Enabled { get; set; } = true;
    public int Port { get; set; } = 5000;
    public string Host { get; set; } = "localhost";

    /// <summary>Name of this host on every event; the machine name when left empty.</summary>
    [ConfigurationKeyName("host_label")]
    public string HostLabel { get; set; } = "";

    public AuthOptions Auth { get; set; } = new();
    public WebsocketOptions Websocket { get; set; } = new();
    public MetricsOptions Metrics { get; set; } = new();
    public DockerOptions Docker { get; set; } = new();
    public StorageOptions Storage { get; set; } = new();
    public LoggingOptions Logging { get; set; } = new();
}

public sealed class AuthOptions
{
    /// <summary>Empty means no authentication, which is allowed on loopback only.</summary>
    public string Token { get; set; } = "";

    /// <summary>Browser origins allowed besides the dashboard's own.</summary>
    [ConfigurationKeyName("allowed_origins")]
    public List<string> AllowedOrigins { get; set; } = [];
}

public sealed class WebsocketOptions
{
    public bool Enabled { get; set; } = true;

    [ConfigurationKeyName("max_connections")]
    public int MaxConnections { get; set; } = 10;

    /// <summary>Seconds.</summary>
    [ConfigurationKeyName("ping_interval")]
    public int PingInterval { get; set; } = 25;

    /// <summary>Seconds.</summary>
    [ConfigurationKeyName("ping_timeout")]
    public int PingTimeout { get; set; } = 20;

    /// <summary>Bytes.</summary>
    [ConfigurationKeyName("max_payload")]
    public long MaxPayload { get; set; } = 1_000_000;
}

public sealed class MetricsOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between system_stats / container_stats samples.</summary>
    public int Interval { get; set; } = 5;
}

public sealed class DockerOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary><c>unix:///path</c> or <c>tcp://host:port</c>.</summary>
    public string Endpoint { get; set; } = "unix:///var/run/docker.sock";
}

public sealed class StorageOptions
{
    public const string InMemory = ":memory:";

    /// <summary>SQLite file (with <c>~</c> expanded), or <c>:memory:</c> to keep nothing on disk.</summary>
    public string Path { get; set; } = "~/.mpm/monitor.db";

    [ConfigurationKeyName("retention_days")]
    public int RetentionDays { get; set; } = 7;
}

public sealed class LoggingOptions
{
    /// <summary>DEBUG, INFO, WARNING or ERROR.</summary>
    public string Level { get; set; } = "INFO";

    /// <summary>Rolling log file (with <c>~</c> expanded).</summary>
    public string File { get; set; } = "~/.mpm/logs/mpm.log";
}
