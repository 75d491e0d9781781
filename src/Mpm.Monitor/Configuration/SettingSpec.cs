using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Mpm.Monitor.Configuration;

/// <summary>One known configuration key: its shape, allowed range, and where it lives on <see cref="MonitoringOptions"/>.</summary>
internal sealed record SettingSpec(string Key, SettingKind Kind, IReadOnlyList<PropertyInfo> Path, RangeAttribute? Range)
{
    /// <summary>What a valid value looks like, e.g. "an integer from 0 to 65535".</summary>
    public string Expectation => Kind switch
    {
        SettingKind.Section => "a mapping of keys",
        SettingKind.Boolean => "true or false",
        SettingKind.Integer when Range is null => "an integer",
        SettingKind.Integer when IsUnbounded(Range.Maximum) => $"an integer of at least {Range.Minimum}",
        SettingKind.Integer => $"an integer from {Range.Minimum} to {Range.Maximum}",
        SettingKind.TextList => "a list of strings",
        _ => "a string",
    };

    public object? GetValue(MonitoringOptions options) =>
        Path.Aggregate<PropertyInfo, object?>(options, (target, property) => target is null ? null : property.GetValue(target));

    private static bool IsUnbounded(object maximum) =>
        Convert.ToInt64(maximum, System.Globalization.CultureInfo.InvariantCulture) is int.MaxValue or long.MaxValue;
}
