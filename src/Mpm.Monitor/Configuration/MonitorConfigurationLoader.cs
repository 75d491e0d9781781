using Mpm.Monitor.Core;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Mpm.Monitor.Configuration;

/// <summary>
/// Finds and reads configuration.yaml and layers it as CONTRACT §2 says: command-line flag &gt;
/// environment (<c>MPM_</c> prefix, <c>__</c> between levels; <c>MPM_MONITOR_TOKEN</c> for the token) &gt;
/// file &gt; built-in defaults. Every problem comes back as a <see cref="ConfigurationException"/>
/// naming where the bad value came from (file and line, variable or flag) and its key.
/// </summary>
public static class MonitorConfigurationLoader
{
    public const string FileName = "configuration.yaml";
    public const string ConfigFileVariable = "MPM_CONFIG";
    public const string TokenVariable = "MPM_MONITOR_TOKEN";
    private const string EnvironmentPrefix = "MPM_";

    public static LoadedConfiguration Load(ConfigurationOverrides overrides)
    {
        var (path, displayPath) = Locate(overrides.ConfigFile);

        var builder = new ConfigurationBuilder();
        if (path is not null)
        {
            builder.Add(new YamlConfigurationSource(path, displayPath!));
        }
        if (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token)
        {
            builder.Add(new LabeledConfigurationSource([("monitoring:auth:token", token, $"environment variable {TokenVariable}")]));
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.Add(new LabeledConfigurationSource(Flags(overrides)));
        var root = builder.Build();

        var problems = ConfigurationShapeCheck.Check(root).ToList();
        var monitoring = new MonitoringOptions();
        if (problems.Count == 0)
        {
            root.GetSection(MonitoringOptions.SectionName).Bind(monitoring);
            MonitoringOptionsNormalizer.Normalize(monitoring);
            problems.AddRange(MonitoringOptionsValidator.Check(monitoring));
        }
        var warnings = UnknownKeys(root).ToList();
        if (problems.Count > 0)
        {
            throw new ConfigurationException([.. problems.Select(p => p with { Origin = p.Origin ?? OriginOf(root, p.Key) })], warnings);
        }
        return new LoadedConfiguration(root, path, monitoring, warnings);
    }

    private static (string? Path, string? DisplayPath) Locate(string? configFlag)
    {
        if (configFlag is not null)
        {
            return File.Exists(configFlag)
                ? (Path.GetFullPath(configFlag), configFlag)
                : throw Missing("--config", configFlag);
        }
        if (Environment.GetEnvironmentVariable(ConfigFileVariable) is { Length: > 0 } fromEnvironment)
        {
            var expanded = HomePaths.Expand(fromEnvironment);
            return File.Exists(expanded)
                ? (Path.GetFullPath(expanded), fromEnvironment)
                : throw Missing($"environment variable {ConfigFileVariable}", fromEnvironment);
        }
        if (File.Exists(FileName))
        {
            return (Path.GetFullPath(FileName), FileName);
        }
        var inHome = HomePaths.Expand("~/.mpm/" + FileName);
        return File.Exists(inHome) ? (inHome, inHome) : (null, null);
    }

    private static ConfigurationException Missing(string origin, string file) =>
        new([new ConfigurationProblem(origin, null, $"configuration file not found: {file}")]);

    private static IEnumerable<(string, string, string)> Flags(ConfigurationOverrides overrides)
    {
        if (overrides.Port is { } port)
        {
            yield return ("monitoring:port", port.ToString(CultureInfo.InvariantCulture), "--port");
        }
        if (overrides.Host is { } host)
        {
            yield return ("monitoring:host", host, "--host");
        }
    }

    /// <summary>Where the winning value of <paramref name="key"/> came from, e.g. <c>configuration.yaml:4</c>.</summary>
    private static string? OriginOf(IConfigurationRoot root, string? key)
    {
        if (key is null)
        {
            return null;
        }
        foreach (var provider in root.Providers.Reverse())
        {
            if (!provider.TryGet(key, out _) && !provider.GetChildKeys([], key).Any())
            {
                continue;
            }
            return provider switch
            {
                IConfigurationOrigin described => described.Describe(key) ?? described.Describe(FirstChild(provider, key)),
                EnvironmentVariablesConfigurationProvider => "environment variable " + EnvironmentPrefix + key.Replace(":", "__").ToUpperInvariant(),
                _ => null,
            };
        }
        return null;
    }

    private static string FirstChild(IConfigurationProvider provider, string key) =>
        key + ConfigurationPath.KeyDelimiter + provider.GetChildKeys([], key).First();

    /// <summary>Keys in the file or under MPM_MONITORING__ that no setting reads: reported once, at the outermost unknown level.</summary>
    private static IEnumerable<ConfigurationProblem> UnknownKeys(IConfigurationRoot root)
    {
        foreach (var provider in root.Providers)
        {
            IEnumerable<(string Key, string? Origin)> keys = provider switch
            {
                YamlConfigurationProvider yaml => yaml.Lines.Keys.Select(k => (k, yaml.Describe(k))),
                EnvironmentVariablesConfigurationProvider env => AllKeys(env, MonitoringOptions.SectionName).Skip(1)
                    .Select(k => (k, (string?)("environment variable " + EnvironmentPrefix + k.Replace(":", "__").ToUpperInvariant()))),
                _ => [],
            };
            foreach (var (key, origin) in keys.OrderBy(k => k.Key, StringComparer.OrdinalIgnoreCase))
            {
                if (IsUnknown(key))
                {
                    yield return new ConfigurationProblem(origin, key, "unknown key, ignored");
                }
            }
        }
    }

    private static IEnumerable<string> AllKeys(IConfigurationProvider provider, string prefix)
    {
        yield return prefix;
        foreach (var child in provider.GetChildKeys([], prefix).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            foreach (var key in AllKeys(provider, prefix + ConfigurationPath.KeyDelimiter + child))
            {
                yield return key;
            }
        }
    }

    private static bool IsUnknown(string key)
    {
        if (ConfigurationSchema.Settings.ContainsKey(key))
        {
            return false;
        }
        var parent = ConfigurationPath.GetParentPath(key);
        return parent is null
            || (ConfigurationSchema.Settings.TryGetValue(parent, out var spec) && spec.Kind == SettingKind.Section);
    }
}
