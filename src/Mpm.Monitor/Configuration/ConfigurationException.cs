namespace Mpm.Monitor.Configuration;

/// <summary>The configuration cannot be used; <c>mpm</c> reports every problem and exits 2.</summary>
public sealed class ConfigurationException(IReadOnlyList<ConfigurationProblem> problems, IReadOnlyList<ConfigurationProblem>? warnings = null)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<ConfigurationProblem> Problems { get; } = problems;

    /// <summary>Unknown keys found on the way: often the typo behind the error.</summary>
    public IReadOnlyList<ConfigurationProblem> Warnings { get; } = warnings ?? [];
}
