using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Mpm.Monitor.Configuration;

/// <summary>
/// Every key configuration.yaml may hold, read off <see cref="MonitoringOptions"/> so the two
/// cannot drift apart: names from <see cref="ConfigurationKeyNameAttribute"/> (else the
/// lower-cased property name), ranges from the table below.
/// </summary>
internal static class ConfigurationSchema
{
    /// <summary>Ranges of the numeric settings; kept here rather than on the public options classes.</summary>
    private static readonly Dictionary<string, IntegerRange> Ranges = new(StringComparer.OrdinalIgnoreCase)
    {
        ["monitoring:port"] = new IntegerRange(0, 65535),
        ["monitoring:websocket:max_connections"] = IntegerRange.AtLeast(1),
        ["monitoring:websocket:ping_interval"] = IntegerRange.AtLeast(1),
        ["monitoring:websocket:ping_timeout"] = IntegerRange.AtLeast(1),
        ["monitoring:websocket:max_payload"] = IntegerRange.AtLeast(1),
        ["monitoring:metrics:interval"] = IntegerRange.AtLeast(1),
        ["monitoring:storage:retention_days"] = IntegerRange.AtLeast(0),
    };

    // Declared after Ranges: static initialisers run in order.
    /// <summary>Keyed by configuration key (<c>monitoring:websocket:max_payload</c>), case-insensitively.</summary>
    public static IReadOnlyDictionary<string, SettingSpec> Settings { get; } = Build();

    private static Dictionary<string, SettingSpec> Build()
    {
        var settings = new Dictionary<string, SettingSpec>(StringComparer.OrdinalIgnoreCase);
        Add(settings, MonitoringOptions.SectionName, typeof(MonitoringOptions), []);
        return settings;
    }

    private static void Add(Dictionary<string, SettingSpec> settings, string key, Type type, IReadOnlyList<PropertyInfo> path)
    {
        var kind = KindOf(type);
        settings[key] = new SettingSpec(key, kind, path, Ranges.GetValueOrDefault(key));
        if (kind != SettingKind.Section)
        {
            return;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name.ToLowerInvariant();
            Add(settings, key + ConfigurationPath.KeyDelimiter + name, property.PropertyType, [.. path, property]);
        }
    }

    private static SettingKind KindOf(Type type) =>
        type == typeof(bool) ? SettingKind.Boolean
        : type == typeof(int) || type == typeof(long) ? SettingKind.Integer
        : type == typeof(string) ? SettingKind.Text
        : type == typeof(List<string>) ? SettingKind.TextList
        : SettingKind.Section;
}
