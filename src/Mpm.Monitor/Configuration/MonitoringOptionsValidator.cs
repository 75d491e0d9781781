using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Mpm.Monitor.Hosting;

namespace Mpm.Monitor.Configuration;

/// <summary>
/// Range and consistency rules for <see cref="MonitoringOptions"/>. Registered with
/// <c>ValidateOnStart</c>; <see cref="MonitorConfigurationLoader"/> also runs it before the host
/// is built so that each problem can be reported with the file line or flag it came from.
/// </summary>
internal sealed class MonitoringOptionsValidator : IValidateOptions<MonitoringOptions>
{
    private static readonly string[] Levels = ["DEBUG", "INFO", "WARNING", "ERROR"];

    public ValidateOptionsResult Validate(string? name, MonitoringOptions options)
    {
        var problems = Check(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(p => p.ToString()));
    }

    public static IEnumerable<ConfigurationProblem> Check(MonitoringOptions options)
    {
        foreach (var spec in ConfigurationSchema.Settings.Values.Where(s => s.Range is not null))
        {
            var value = Convert.ToInt64(spec.GetValue(options), CultureInfo.InvariantCulture);
            if (!spec.Range!.Contains(value))
            {
                yield return Problem(spec.Key, $"expected {spec.Expectation}, got {value}");
            }
        }

        if (!Levels.Contains(options.Logging.Level, StringComparer.OrdinalIgnoreCase))
        {
            yield return Problem("monitoring:logging:level", $"expected one of {string.Join(", ", Levels)}, got {ConfigurationShapeCheck.Quote(options.Logging.Level)}");
        }
        if (string.IsNullOrWhiteSpace(options.Logging.File))
        {
            yield return Problem("monitoring:logging:file", "expected a file path");
        }
        if (string.IsNullOrWhiteSpace(options.Storage.Path))
        {
            yield return Problem("monitoring:storage:path", $"expected a file path or \"{StorageOptions.InMemory}\"");
        }
        if (!IsDockerEndpoint(options.Docker.Endpoint))
        {
            yield return Problem("monitoring:docker:endpoint", $"expected unix:///path/to/docker.sock or tcp://host:port, got {ConfigurationShapeCheck.Quote(options.Docker.Endpoint)}");
        }
        foreach (var origin in options.Auth.AllowedOrigins.Where(o => !IsOrigin(o)))
        {
            yield return Problem("monitoring:auth:allowed_origins", $"expected origins such as https://example.com:8080, got {ConfigurationShapeCheck.Quote(origin)}");
        }

        if (Uri.CheckHostName(options.Host) == UriHostNameType.Unknown)
        {
            yield return Problem("monitoring:host", $"expected a host name or IP address, got {ConfigurationShapeCheck.Quote(options.Host)}");
        }
        else if (!ListenAddresses.IsLoopback(options.Host) && string.IsNullOrEmpty(options.Auth.Token))
        {
            yield return Problem("monitoring:host", $"{ConfigurationShapeCheck.Quote(options.Host)} is reachable from other machines, so an auth token is required: " +
                "set monitoring.auth.token in the configuration file, or MPM_MONITOR_TOKEN (or MPM_MONITORING__AUTH__TOKEN) in the environment; " +
                "or keep host: localhost");
        }
    }

    private static ConfigurationProblem Problem(string key, string message) => new(null, key, message);

    private static bool IsDockerEndpoint(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme switch
        {
            "unix" => uri.AbsolutePath.Length > 1,
            "tcp" => uri.Host.Length > 0 && !uri.IsDefaultPort,
            _ => false,
        };

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && !origin.EndsWith('/');
}
