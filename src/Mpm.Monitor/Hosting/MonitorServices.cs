using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mpm.Monitor.Configuration;
using Mpm.Monitor.Http;

namespace Mpm.Monitor.Hosting;

/// <summary>The host's own services and the seams other parts replace.</summary>
internal static class MonitorServices
{
    public static IServiceCollection AddMonitorHost(this IServiceCollection services, LoadedConfiguration configuration)
    {
        services.AddSingleton(configuration);
        services.AddSingleton<IValidateOptions<MonitoringOptions>, MonitoringOptionsValidator>();
        services.AddOptions<MonitoringOptions>()
            .Bind(configuration.Configuration.GetSection(MonitoringOptions.SectionName))
            .PostConfigure(MonitoringOptionsNormalizer.Normalize)
            .ValidateOnStart();

        // Source-generated metadata first; reflection stays behind it for other parts' types.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, MonitorJsonContext.Default));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<MonitorUptime>();
        services.AddSingleton<RequestCounter>();

        // Seams: the Socket.IO server, the event pipeline and the Docker client register the real ones.
        services.TryAddSingleton<IRealtimeConnectionCount, NoRealtimeConnections>();
        services.TryAddSingleton<IAgentDirectory, NoAgents>();
        services.TryAddSingleton<IDockerStatus, DockerPing>();

        services.AddDashboard();
        return services;
    }
}
