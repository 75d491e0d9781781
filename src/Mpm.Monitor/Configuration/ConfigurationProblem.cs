namespace Mpm.Monitor.Configuration;

/// <summary>One thing wrong with the configuration: where it came from, which key, and what is wrong.</summary>
/// <param name="Origin">e.g. <c>configuration.yaml:4</c>, <c>--port</c>, <c>environment variable MPM_MONITORING__PORT</c>; null if not known yet.</param>
/// <param name="Key">Configuration key with <c>:</c> separators, or null when the problem is not about one key.</param>
/// <param name="Message">What is wrong and what was expected.</param>
public sealed record ConfigurationProblem(string? Origin, string? Key, string Message)
{
    /// <summary>The key as the user writes it in YAML: <c>monitoring.port</c>.</summary>
    public string? DisplayKey => Key?.Replace(':', '.');

    public override string ToString() =>
        string.Join(": ", new[] { Origin, DisplayKey, Message }.Where(part => !string.IsNullOrEmpty(part)));
}
