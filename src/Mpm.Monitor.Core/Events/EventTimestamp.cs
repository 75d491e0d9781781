using System.Globalization;

namespace Mpm.Monitor.Core.Events;

/// <summary>The one textual form of times in events and views: ISO-8601 UTC with milliseconds.</summary>
internal static class EventTimestamp
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        // RoundtripKind-style parsing that insists on a date and time with an offset or Z, which is
        // what ISO-8601 times sent by tools look like; anything looser would accept "5" as a time.
        time = default;
        if (string.IsNullOrEmpty(text) || text.Length < 19 || text[10] is not ('T' or 't' or ' '))
        {
            return false;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        time = TruncateToMilliseconds(parsed);
        return true;
    }

    public static DateTimeOffset TruncateToMilliseconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
