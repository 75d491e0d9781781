using System.Text.RegularExpressions;

namespace Mpm.Monitor.Core.Events;

/// <summary>The rule for event names (CONTRACT §4).</summary>
public static partial class EventName
{
    public const string Pattern = "^[A-Za-z][A-Za-z0-9_.:-]{0,63}$";

    public static bool IsValid(string? name) => name is not null && ValidName().IsMatch(name);

    // \z rather than $: $ would also accept a trailing newline.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_.:-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();
}
