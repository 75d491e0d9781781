using System.Text.Json;

namespace Mpm.Monitor.Core.Events;

/// <summary>An event as a publisher hands it in: a name and its data, not yet validated.</summary>
public readonly record struct IncomingEvent(string Name, JsonElement Data);
