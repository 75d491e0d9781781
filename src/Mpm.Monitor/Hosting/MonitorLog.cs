using Mpm.Monitor.Configuration;

namespace Mpm.Monitor.Hosting;

/// <summary>The host's own log lines.</summary>
internal static partial class MonitorLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Mpm Monitor listening on {Url} (configuration: {ConfigurationFile}, host label: {HostLabel})")]
    public static partial void Listening(ILogger logger, Uri url, string configurationFile, string hostLabel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration: {Problem}")]
    public static partial void ConfigurationWarning(ILogger logger, ConfigurationProblem problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Running {Command} with the monitor's address in MPM_MONITOR_URL")]
    public static partial void RunningChild(ILogger logger, string command);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Command} exited with {ExitCode}; stopping the monitor")]
    public static partial void ChildExited(ILogger logger, string command, int exitCode);
}
