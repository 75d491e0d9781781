namespace Mpm.Monitor.Core.Claude;

/// <summary>
/// Context window (tokens) of a Claude model id as written in a transcript's <c>message.model</c>.
/// </summary>
/// <remarks>
/// Table (from the Claude model overview pages): 1,000,000 for ids carrying Claude Code's
/// <c>[1m]</c> suffix and for the families documented with a 1M window by default
/// (<c>claude-opus-4-6</c>, <c>claude-sonnet-4-6</c> and every 5.x model); 200,000 otherwise.
/// Sonnet 4 / 4.5 have a 1M window only behind a beta flag that the transcript does not record,
/// so for them a context already larger than 200,000 proves the 1M variant is in use.
/// </remarks>
internal static class ModelContextWindows
{
    internal const long Default = 200_000;
    internal const long OneMillion = 1_000_000;

    private static readonly string[] OneMillionByDefault =
        ["claude-opus-4-6", "claude-sonnet-4-6", "claude-opus-5", "claude-sonnet-5", "claude-haiku-5", "claude-fable-5"];

    private static readonly string[] OneMillionOptIn = ["claude-sonnet-4-5", "claude-sonnet-4"];

    internal static long For(string? model, long tokensInUse)
    {
        if (string.IsNullOrEmpty(model)) return tokensInUse > Default ? OneMillion : Default;
        if (model.Contains("[1m]", StringComparison.OrdinalIgnoreCase)) return OneMillion;
        foreach (var prefix in OneMillionByDefault)
            if (model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return OneMillion;
        if (tokensInUse > Default)
            foreach (var prefix in OneMillionOptIn)
                if (model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return OneMillion;
        return Default;
    }
}
