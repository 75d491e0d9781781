namespace Mpm.Monitor.Configuration;

/// <summary>What the command line says about configuration: the file to read and the flags that win over everything.</summary>
public sealed record ConfigurationOverrides(string? ConfigFile = null, int? Port = null, string? Host = null);
