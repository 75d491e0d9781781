using System.Text.Json;
using Mpm.Monitor.Core.Events;

namespace Mpm.Monitor.Core.Pipeline;

/// <summary>
/// Seam for the body claude-mpm's hook handler posts to <c>/api/events</c>
/// (<c>{"namespace":"","event":"claude_event","data":{"type":"hook","subtype":"pre_tool",...}}</c>):
/// turns its <c>data</c> into monitor events. The Claude hook mapping replaces the default, which
/// keeps the raw data as one <c>claude_hook</c> custom event.
/// </summary>
public interface IClaudeMpmEventTranslator
{
    /// <summary>The event name that marks a claude-mpm body.</summary>
    public const string ClaudeMpmEventName = "claude_event";

    /// <summary>Appends the events <paramref name="data"/> maps to; throws <see cref="EventRejectedException"/> for bad data.</summary>
    void Translate(JsonElement data, ICollection<IncomingEvent> into);
}
