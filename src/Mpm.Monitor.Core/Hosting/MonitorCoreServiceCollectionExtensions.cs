using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mpm.Monitor.Core.Claude;
using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Pipeline;
using Mpm.Monitor.Core.Projections;
using Mpm.Monitor.Core.Storage;

namespace Mpm.Monitor.Core.Hosting;

public static class MonitorCoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the event pipeline, its SQLite store, the projections, <see cref="DashboardService"/> and
    /// the hosted service that opens the store at start and flushes it at stop.
    /// </summary>
    public static IServiceCollection AddMonitorCore(this IServiceCollection services, Action<MonitorCoreOptions> configure)
    {
        services.AddOptions<MonitorCoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MonitorCoreOptions>, MonitorCoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEventStore>(sp =>
            new SqliteEventStore(sp.GetRequiredService<IOptions<MonitorCoreOptions>>().Value.StoragePath, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new MonitorState(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MonitorCoreOptions>>().Value;
            return new EventPipeline(
                sp.GetRequiredService<IEventStore>(),
                sp.GetRequiredService<MonitorState>(),
                new EventEnvelope(options.EffectiveHostLabel, options.MaxPayloadBytes, sp.GetRequiredService<TimeProvider>()),
                sp.GetRequiredService<ILogger<EventPipeline>>());
        });
        services.TryAddSingleton<DashboardService>();
        services.AddClaudeHookMapping();
        services.AddHostedService<EventPipelineHostedService>();
        return services;
    }
}
