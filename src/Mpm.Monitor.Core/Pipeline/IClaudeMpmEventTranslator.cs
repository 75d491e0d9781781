using System.Text.Json;
using Mpm.Monitor.Core.Events;

namespace Mpm.Monitor.Core.Pipeline;

/// <summary>
/// Seam for the body claude-mpm's hook handler posts to <c>/api/events</c>
/// (<c>{"namespace":"","event":"claude_event","data":{"type":"hook","subtype":"pre_tool",...}}</c>):
/// turns its <c>data</c> into monitor events, mapped like a Claude Code hook (CONTRACT §4, §5).
/// </summary>
public interface IClaudeMpmEventTranslator
{
    /// <summary>The event name that marks a claude-mpm body.</summary>
    public const string ClaudeMpmEventName = "claude_event";

    /// <summary>
    /// Appends the events <paramref name="data"/> (a JSON object) maps to; throws <see cref="EventRejectedException"/> for bad data.
    /// The elements appended stay valid after <paramref name="data"/>'s document is disposed.
    /// </summary>
    ValueTask TranslateAsync(JsonElement data, ICollection<IncomingEvent> into, CancellationToken cancellationToken);
}
