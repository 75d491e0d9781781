using Microsoft.Extensions.Options;

namespace Mpm.Monitor.SocketIO;

internal sealed class SocketIOServerOptionsValidator : IValidateOptions<SocketIOServerOptions>
{
    public ValidateOptionsResult Validate(string? name, SocketIOServerOptions options)
    {
        var failures = new List<string>();
        if (options.PingInterval <= TimeSpan.Zero || options.PingInterval > TimeSpan.FromDays(1))
            failures.Add($"PingInterval must be positive and at most a day (was {options.PingInterval}).");
        if (options.PingTimeout <= TimeSpan.Zero || options.PingTimeout > TimeSpan.FromDays(1))
            failures.Add($"PingTimeout must be positive and at most a day (was {options.PingTimeout}).");
        if (options.ConnectTimeout <= TimeSpan.Zero || options.ConnectTimeout > TimeSpan.FromDays(1))
            failures.Add($"ConnectTimeout must be positive and at most a day (was {options.ConnectTimeout}).");
        if (options.MaxPayload is < 1024 or > int.MaxValue)
            failures.Add($"MaxPayload must be between 1024 and {int.MaxValue} bytes (was {options.MaxPayload}).");
        if (options.MaxConnections < 0)
            failures.Add($"MaxConnections must be 0 (unlimited) or positive (was {options.MaxConnections}).");
        if (options.MaxQueuedMessages < 1)
            failures.Add($"MaxQueuedMessages must be positive (was {options.MaxQueuedMessages}).");
        if (options.InboundEventRate < 0 || double.IsNaN(options.InboundEventRate) || double.IsInfinity(options.InboundEventRate))
            failures.Add($"InboundEventRate must be 0 (unlimited) or a positive number of events per second (was {options.InboundEventRate}).");
        if (options.InboundEventBurst < 1)
            failures.Add($"InboundEventBurst must be positive (was {options.InboundEventBurst}).");
        if (options.AllowedOrigins is null)
            failures.Add("AllowedOrigins must not be null.");
        else
            foreach (var origin in options.AllowedOrigins)
                if (origin == "*" || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || origin.EndsWith('/'))
                    failures.Add($"AllowedOrigins entry '{origin}' must be an origin like 'https://host:port' ('*' is not allowed).");
        if (options.JsonSerializerOptions is null)
            failures.Add("JsonSerializerOptions must not be null.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
