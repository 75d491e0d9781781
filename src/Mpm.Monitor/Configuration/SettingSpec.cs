using System.Reflection;

namespace Mpm.Monitor.Configuration;

/// <summary>One known configuration key: its shape, allowed range, and where it lives on <see cref="MonitoringOptions"/>.</summary>
internal sealed record SettingSpec(string Key, SettingKind Kind, IReadOnlyList<PropertyInfo> Path, IntegerRange? Range)
{
    /// <summary>What a valid value looks like, e.g. "an integer from 0 to 65535".</summary>
    public string Expectation => Kind switch
    {
        SettingKind.Section => "a mapping of keys",
        SettingKind.Boolean => "true or false",
        SettingKind.Integer when Range is null => "an integer",
        SettingKind.Integer => $"an integer {Range}",
        SettingKind.TextList => "a list of strings",
        _ => "a string",
    };

    public object? GetValue(MonitoringOptions options) =>
        Path.Aggregate<PropertyInfo, object?>(options, (target, property) => target is null ? null : property.GetValue(target));
}
