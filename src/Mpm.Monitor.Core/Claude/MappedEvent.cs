using System.Text.Json.Nodes;

namespace Mpm.Monitor.Core.Claude;

/// <summary>One monitor event derived from a Claude Code hook: its name and the flat data object (CONTRACT §4).</summary>
public sealed record MappedEvent(string Name, JsonObject Data);
