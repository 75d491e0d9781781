namespace Mpm.Monitor.Core.Events;

/// <summary>The event names the contract gives a meaning to (CONTRACT §4).</summary>
public static class EventTypes
{
    public const string AgentActivity = "agent_activity";
    public const string FileOperation = "file_operation";
    public const string SessionUpdate = "session_update";
    public const string ContainerStats = "container_stats";
    public const string ContainerEvent = "container_event";
    public const string SystemStats = "system_stats";
    public const string ClaudeHook = "claude_hook";
}
