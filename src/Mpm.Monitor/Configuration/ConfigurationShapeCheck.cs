using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Mpm.Monitor.Configuration;

/// <summary>
/// Checks that each known key's effective value (after precedence) has the right type before
/// it is bound: the standard binder would throw without saying which file line or flag was wrong.
/// </summary>
internal static class ConfigurationShapeCheck
{
    public static IEnumerable<ConfigurationProblem> Check(IConfiguration configuration)
    {
        foreach (var spec in ConfigurationSchema.Settings.Values)
        {
            var section = configuration.GetSection(spec.Key);
            var hasChildren = section.GetChildren().Any();
            var problem = spec.Kind switch
            {
                SettingKind.Section when section.Value is { Length: > 0 } => $"expected {spec.Expectation}, got {Quote(section.Value)}",
                SettingKind.Section => null,
                SettingKind.TextList when section.Value is { Length: > 0 } => $"expected {spec.Expectation}, got {Quote(section.Value)}",
                SettingKind.TextList when section.GetChildren().Any(item => item.GetChildren().Any()) => $"expected {spec.Expectation}, got a nested mapping or list",
                SettingKind.TextList => null,
                _ when hasChildren => $"expected {spec.Expectation}, got a mapping or list",
                _ when section.Value is null => null,
                SettingKind.Boolean when !bool.TryParse(section.Value, out _) => $"expected {spec.Expectation}, got {Quote(section.Value)}",
                SettingKind.Integer when !long.TryParse(section.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                    || !FitsProperty(spec, number) => $"expected {spec.Expectation}, got {Quote(section.Value)}",
                _ => null,
            };
            if (problem is not null)
            {
                yield return new ConfigurationProblem(null, spec.Key, problem);
            }
        }
    }

    private static bool FitsProperty(SettingSpec spec, long number) =>
        spec.Path[^1].PropertyType != typeof(int) || number is >= int.MinValue and <= int.MaxValue;

    internal static string Quote(string value) => "\"" + value.Replace("\"", "\\\"") + "\"";
}
