namespace Mpm.Monitor.Tests.Infrastructure;

/// <summary>How a finished <c>mpm</c> run ended.</summary>
public sealed record MonitorRunResult(int ExitCode, string StandardOutput, string StandardError);
