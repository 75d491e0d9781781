using Microsoft.Extensions.Configuration;

namespace Mpm.Monitor.Configuration;

/// <summary>The configuration <c>mpm</c> runs with, already checked.</summary>
/// <param name="Configuration">All layers (defaults, file, environment, flags); bind sections from it.</param>
/// <param name="FilePath">The configuration file read, or null when none was found (built-in defaults).</param>
/// <param name="Monitoring">The bound, normalised and validated <c>monitoring:</c> section.</param>
/// <param name="Warnings">Things worth telling the user that do not stop start-up (unknown keys).</param>
public sealed record LoadedConfiguration(
    IConfigurationRoot Configuration,
    string? FilePath,
    MonitoringOptions Monitoring,
    IReadOnlyList<ConfigurationProblem> Warnings);
