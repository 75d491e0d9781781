using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Mpm.Monitor.Configuration;

/// <summary>
/// Every key configuration.yaml may hold, read off <see cref="MonitoringOptions"/> so the two
/// cannot drift apart: names from <see cref="ConfigurationKeyNameAttribute"/> (else the
/// lower-cased property name), ranges from <see cref="RangeAttribute"/>.
/// </summary>
internal static class ConfigurationSchema
{
    /// <summary>Ranges of the numeric settings; kept here rather than on the public options classes.</summary>
    private static readonly Dictionary<string, RangeAttribute> Ranges = new(StringComparer.OrdinalIgnoreCase)
    {
        ["monitoring:port"] = new RangeAttribute(0, 65535),
        ["monitoring:websocket:max_connections"] = new RangeAttribute(1, int.MaxValue),
        ["monitoring:websocket:ping_interval"] = new RangeAttribute(1, int.MaxValue),
        ["monitoring:websocket:ping_timeout"] = new RangeAttribute(1, int.MaxValue),
        ["monitoring:websocket:max_payload"] = new RangeAttribute(1L, long.MaxValue),
        ["monitoring:metrics:interval"] = new RangeAttribute(1, int.MaxValue),
        ["monitoring:storage:retention_days"] = new RangeAttribute(0, int.MaxValue),
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
