using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mpm.Monitor.Collectors.Containers;
using Mpm.Monitor.Collectors.Docker;
using Mpm.Monitor.Collectors.HostStats;

namespace Mpm.Monitor.Collectors;

public static class CollectorsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the system and container collectors: <see cref="LatestStats"/>, <see cref="DockerStatusSource"/>,
    /// <see cref="ContainerLogs"/> and the hosted services that sample and publish through
    /// <see cref="Core.DashboardService"/> (which the host registers). Options are validated at start-up.
    /// </summary>
    public static IServiceCollection AddCollectors(this IServiceCollection services, Action<CollectorOptions> configure)
    {
        services.AddOptions<CollectorOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CollectorOptions>, CollectorOptionsValidator>());
        services.TryAddSingleton<IEventSink, DashboardEventSink>();
        services.TryAddSingleton<LatestStats>();
        services.TryAddSingleton<DockerStatusSource>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CollectorOptions>>().Value;
            // With docker.enabled false the endpoint is not validated and the client never connects,
            // but the services that would use it are still constructed.
            var endpoint = DockerEndpoint.TryParse(options.DockerEndpoint, out var parsed, out _)
                ? parsed
                : DockerEndpoint.Parse(new CollectorOptions().DockerEndpoint);
            return new DockerClient(endpoint);
        });
        services.TryAddSingleton(sp => new ContainerStatsSampler(sp.GetRequiredService<DockerClient>()));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CollectorOptions>>().Value;
            return new ContainerLogs(options.DockerEnabled ? sp.GetRequiredService<DockerClient>() : null);
        });
        // Each service ends at once when its part is switched off (metrics.enabled, docker.enabled).
        services.AddHostedService<SystemStatsService>();
        services.AddHostedService<ContainerStatsService>();
        services.AddHostedService<ContainerEventService>();
        return services;
    }
}
