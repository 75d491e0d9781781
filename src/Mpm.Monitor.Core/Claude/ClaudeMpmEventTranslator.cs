using System.Text.Json;
using System.Text.Json.Nodes;
using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Pipeline;

namespace Mpm.Monitor.Core.Claude;

/// <summary>
/// claude-mpm's <c>claude_event</c> bodies through the Claude Code hook mapping: a hook event
/// (<c>{"type":"hook","subtype":...}</c>) is translated (<see cref="ClaudeMpmHookTranslator"/>) and mapped
/// like the hook it stands for; anything else claude-mpm sends under that name is kept as a
/// <c>claude_hook</c> event, redacted like every hook input, so nothing is thrown away.
/// </summary>
internal sealed class ClaudeMpmEventTranslator(ClaudeHookMapper mapper) : IClaudeMpmEventTranslator
{
    public async ValueTask TranslateAsync(JsonElement data, ICollection<IncomingEvent> into, CancellationToken cancellationToken)
    {
        var body = JsonObject.Create(data)
            ?? throw new EventRejectedException(EventRejection.Invalid, "\"data\" must be a JSON object");
        IReadOnlyList<MappedEvent> mapped;
        try
        {
            mapped = ClaudeMpmHookTranslator.TryTranslate(body, out _, out _, out _)
                ? await mapper.MapClaudeMpmAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false)
                : [mapper.Unmapped(body)];
        }
        catch (ArgumentException e)
        {
            throw new EventRejectedException(EventRejection.Invalid, e.Message);
        }

        foreach (var e in mapped) into.Add(new IncomingEvent(e.Name, JsonElements.From(e.Data)));
    }
}
