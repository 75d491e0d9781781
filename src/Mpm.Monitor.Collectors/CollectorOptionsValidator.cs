using Microsoft.Extensions.Options;
using Mpm.Monitor.Collectors.Docker;

namespace Mpm.Monitor.Collectors;

internal sealed class CollectorOptionsValidator : IValidateOptions<CollectorOptions>
{
    // Sub-second intervals are allowed for tests and benchmarks; configuration speaks whole seconds.
    internal static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    internal static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, CollectorOptions options)
    {
        var failures = new List<string>();
        if (options.Interval < MinInterval || options.Interval > MaxInterval)
        {
            failures.Add($"metrics.interval must be between {MinInterval.TotalSeconds} and {MaxInterval.TotalSeconds} seconds, not {options.Interval.TotalSeconds}");
        }
        if (options.DockerEnabled && !Docker.DockerEndpoint.TryParse(options.DockerEndpoint, out _, out var error))
        {
            failures.Add(error);
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
