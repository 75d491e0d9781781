namespace Mpm.Monitor.Core.Hosting;

/// <summary>What the core needs from the configuration (the host maps <c>monitoring.*</c> onto it).</summary>
public sealed class MonitorCoreOptions
{
    /// <summary><c>storage.path</c>: the SQLite file (<c>~</c> = home directory) or <c>:memory:</c>.</summary>
    public string StoragePath { get; set; } = "~/.mpm/monitor.db";

    /// <summary><c>storage.retention_days</c>: events stored longer ago are pruned; 0 keeps them forever.</summary>
    public int RetentionDays { get; set; } = 7;

    /// <summary><c>host_label</c>: the <c>host</c> of every event; empty = the machine name.</summary>
    public string HostLabel { get; set; } = "";

    /// <summary><c>websocket.max_payload</c>: the largest serialised event, in bytes.</summary>
    public int MaxPayloadBytes { get; set; } = 1_000_000;

    /// <summary>How often retention pruning runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    internal string EffectiveHostLabel => string.IsNullOrWhiteSpace(HostLabel) ? Environment.MachineName : HostLabel;
}
