using Microsoft.Extensions.Options;

namespace Mpm.Monitor.Core.Hosting;

internal sealed class MonitorCoreOptionsValidator : IValidateOptions<MonitorCoreOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitorCoreOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.StoragePath))
        {
            failures.Add("storage.path must not be empty (use \":memory:\" to keep nothing on disk)");
        }

        if (options.RetentionDays < 0)
        {
            failures.Add($"storage.retention_days must be 0 (keep forever) or more, not {options.RetentionDays}");
        }

        if (options.MaxPayloadBytes < 1024)
        {
            failures.Add($"websocket.max_payload must be at least 1024 bytes, not {options.MaxPayloadBytes}");
        }

        if (options.RetentionInterval <= TimeSpan.Zero)
        {
            failures.Add("the retention interval must be positive");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
