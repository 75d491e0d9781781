using System.Text.Json;
using Mpm.Monitor.Core.Events;

namespace Mpm.Monitor.Core.Pipeline;

/// <summary>Keeps a claude-mpm hook body as the custom event <c>claude_hook</c>, so nothing is thrown away.</summary>
internal sealed class RawClaudeHookTranslator : IClaudeMpmEventTranslator
{
    public void Translate(JsonElement data, ICollection<IncomingEvent> into) =>
        into.Add(new IncomingEvent(EventTypes.ClaudeHook, data));
}
