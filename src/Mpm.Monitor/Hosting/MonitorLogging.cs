using Mpm.Monitor.Configuration;
using Serilog;
using Serilog.Events;

namespace Mpm.Monitor.Hosting;

/// <summary>
/// Serilog from <c>logging.level</c> and <c>logging.file</c>: readable lines on stderr (stdout is
/// kept for the URL line and a child command's output) and a daily rolling file.
/// </summary>
internal static class MonitorLogging
{
    private const string Template = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static Serilog.Core.Logger Create(LoggingOptions options)
    {
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(options.File)) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException([new ConfigurationProblem(null, "monitoring:logging:file", $"cannot create the log folder for {options.File}: {e.Message}")]);
        }

        var level = LevelOf(options.Level);
        var frameworkLevel = level == LogEventLevel.Debug ? LogEventLevel.Debug : LogEventLevel.Warning;
        return new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", frameworkLevel)
            .MinimumLevel.Override("System", frameworkLevel)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: Template, standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteTo.File(options.File, outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} " + Template,
                rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14, shared: true,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
    }

    private static LogEventLevel LevelOf(string level) => level switch
    {
        "DEBUG" => LogEventLevel.Debug,
        "WARNING" => LogEventLevel.Warning,
        "ERROR" => LogEventLevel.Error,
        _ => LogEventLevel.Information,
    };
}
