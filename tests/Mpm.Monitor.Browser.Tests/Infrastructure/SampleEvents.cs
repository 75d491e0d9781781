namespace Mpm.Monitor.Browser.Tests.Infrastructure;

/// <summary>Event data as the monitor's sources produce it (CONTRACT §4), for <c>POST /api/events</c>.</summary>
internal static class SampleEvents
{
    public static (string, object) AgentActivity(string agent, string action, string? sessionId = null, string? description = null) =>
        ("agent_activity", new { agent, action, session_id = sessionId, description });

    public static (string, object) FileOperation(string file, string operation, string? agent = null, string? sessionId = null, long? size = null) =>
        ("file_operation", new { file, operation, agent, session_id = sessionId, size, tool = "Write" });

    public static (string, object) SessionUpdate(string sessionId, long tokenUsage, double contextPercentage, string model = "claude-sonnet-4-5") =>
        ("session_update", new
        {
            session_id = sessionId,
            token_usage = tokenUsage,
            context_percentage = contextPercentage,
            status = "active",
            model,
            input_tokens = tokenUsage / 2,
            output_tokens = tokenUsage / 10,
            cache_read_tokens = tokenUsage / 3,
            cache_creation_tokens = 1200,
        });

    public static (string, object) Custom(string name, string message) => (name, new { message, build = 42 });

    /// <summary>One running container, shaped as the Docker collector reports it.</summary>
    public static (string, object) ContainerStats(string id, string name, double cpuPercent = 12.5) =>
        ("container_stats", new
        {
            containers = new[]
            {
                new
                {
                    id,
                    name,
                    image = "local/busybox",
                    status = "running",
                    cpu_percent = cpuPercent,
                    memory_usage = 48L * 1024 * 1024,
                    memory_limit = 512L * 1024 * 1024,
                    memory_percent = 9.375,
                    network = new { rx_bytes = 123_456L, tx_bytes = 65_432L },
                    block_read = 4096L,
                    block_write = 8192L,
                    pids = 3,
                },
            },
        });

    public static (string, object) ContainerEvent(string id, string name, string action) =>
        ("container_event", new { container = new { id, name, image = "local/busybox" }, action });

    public static (string, object) SystemStats(string marker) =>
        ("system_stats", new
        {
            cpu_percent = 37.5,
            memory_used = 6L * 1024 * 1024 * 1024,
            memory_total = 24L * 1024 * 1024 * 1024,
            disk_used = 40L * 1024 * 1024 * 1024,
            disk_total = 100L * 1024 * 1024 * 1024,
            uptime = 3600,
            load_avg = new Dictionary<string, double> { ["1m"] = 1.5, ["5m"] = 1.2, ["15m"] = 0.9 },
            network = new[] { new { name = marker, bytes_sent = 1000L, bytes_recv = 2000L } },
            top_processes = new[] { new { name = "mpm", pid = 4242, cpu = 3.5, mem = 1.2 } },
        });
}
