using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mpm.Monitor.SocketIO;

public static class SocketIOServiceCollectionExtensions
{
    /// <summary>Registers <see cref="SocketIOServer"/> (a singleton) and its validated options.</summary>
    public static IServiceCollection AddSocketIO(this IServiceCollection services, Action<SocketIOServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SocketIOServerOptions>();
        if (configure is not null)
            options.Configure(configure);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SocketIOServerOptions>, SocketIOServerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new SocketIOServer(
            provider.GetRequiredService<IOptions<SocketIOServerOptions>>().Value,
            provider.GetRequiredService<ILogger<SocketIOServer>>(),
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
