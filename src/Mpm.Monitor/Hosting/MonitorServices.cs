using Microsoft.Extensions.Options;
using Mpm.Monitor.Collectors;
using Mpm.Monitor.Configuration;
using Mpm.Monitor.Core.Claude;
using Mpm.Monitor.Core.Hosting;
using Mpm.Monitor.Http;
using Mpm.Monitor.Realtime;
using Mpm.Monitor.Security;
using Mpm.Monitor.SocketIO;

namespace Mpm.Monitor.Hosting;

/// <summary>
/// The composition root: the host's own services, and the core, Socket.IO and collectors
/// configured from the one validated <c>monitoring:</c> section.
/// </summary>
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

        var monitoring = configuration.Monitoring;
        services.AddMonitorCore(core =>
        {
            core.StoragePath = monitoring.Storage.Path;
            core.RetentionDays = monitoring.Storage.RetentionDays;
            core.HostLabel = monitoring.HostLabel;
            core.MaxPayloadBytes = (int)Math.Min(int.MaxValue, monitoring.Websocket.MaxPayload);
        });
        services.AddSocketIO(io =>
        {
            io.PingInterval = TimeSpan.FromSeconds(monitoring.Websocket.PingInterval);
            io.PingTimeout = TimeSpan.FromSeconds(monitoring.Websocket.PingTimeout);
            io.MaxPayload = monitoring.Websocket.MaxPayload;
            io.MaxConnections = monitoring.Websocket.MaxConnections;
            foreach (var origin in monitoring.Auth.AllowedOrigins)
            {
                io.AllowedOrigins.Add(origin);
            }
        });
        services.AddCollectors(collectors =>
        {
            collectors.MetricsEnabled = monitoring.Metrics.Enabled;
            collectors.Interval = TimeSpan.FromSeconds(monitoring.Metrics.Interval);
            collectors.DockerEnabled = monitoring.Docker.Enabled;
            collectors.DockerEndpoint = monitoring.Docker.Endpoint;
        });

        services.AddRealtime();
        services.AddClaudeHookSpoolDrain();
        services.AddDashboard();
        services.AddMonitorSecurity();
        return services;
    }
}
