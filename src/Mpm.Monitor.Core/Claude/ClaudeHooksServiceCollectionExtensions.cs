using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mpm.Monitor.Core.Hosting;
using Mpm.Monitor.Core.Pipeline;

namespace Mpm.Monitor.Core.Claude;

public static class ClaudeHooksServiceCollectionExtensions
{
    /// <summary>How often the spool is looked at while the monitor runs (besides at start).</summary>
    public static readonly TimeSpan DefaultDrainInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The Claude Code hook mapping: <see cref="ClaudeHookMapper"/> (one per monitor: it pairs tool calls
    /// across inputs), <see cref="ClaudeHookIngest"/> for <c>POST /api/hooks/claude</c> and the spool, and the
    /// claude-mpm <c>claude_event</c> translation of <c>POST /api/events</c>.
    /// </summary>
    public static IServiceCollection AddClaudeHookMapping(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new TranscriptUsageReader());
        services.TryAddSingleton(sp => new ClaudeHookMapper(
            sp.GetRequiredService<TranscriptUsageReader>(),
            sp.GetRequiredService<TimeProvider>(),
            maxPayloadBytes: sp.GetRequiredService<IOptions<MonitorCoreOptions>>().Value.MaxPayloadBytes));
        services.TryAddSingleton<ClaudeHookIngest>();
        services.TryAddSingleton<IClaudeMpmEventTranslator, ClaudeMpmEventTranslator>();
        return services;
    }

    /// <summary>
    /// Drains the hook spool (<paramref name="directory"/>, default <c>~/.mpm/spool</c>) into the monitor at
    /// start and every <paramref name="interval"/>: each input through <see cref="ClaudeHookIngest"/> under its
    /// spool id, stamped with the time it was spooled, so each takes effect exactly once.
    /// </summary>
    public static IServiceCollection AddClaudeHookSpoolDrain(this IServiceCollection services, string? directory = null, TimeSpan? interval = null)
    {
        var every = interval ?? DefaultDrainInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero, nameof(interval));
        services.AddClaudeHookMapping();
        services.TryAddSingleton(_ => new HookSpool(directory ?? HookSpool.DefaultDirectory));
        services.TryAddSingleton<HookSpoolDrainer>();
        services.AddHostedService(sp =>
        {
            var ingest = sp.GetRequiredService<ClaudeHookIngest>();
            return new HookSpoolDrainLoop(
                sp.GetRequiredService<HookSpoolDrainer>(),
                (hook, ct) => ingest.IngestAsync(hook.Input, hook.SpoolId, hook.SpooledAt == default ? null : hook.SpooledAt, ct),
                every,
                sp.GetRequiredService<ILogger<HookSpoolDrainLoop>>());
        });
        return services;
    }
}
