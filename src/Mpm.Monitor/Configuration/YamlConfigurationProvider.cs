using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mpm.Monitor.Configuration;

/// <summary>
/// Flattens a YAML file into configuration keys (<c>monitoring:port</c>,
/// <c>monitoring:auth:allowed_origins:0</c>) and remembers the line each key came from, so a
/// bad value can be reported as <c>file:line: key: problem</c>.
/// </summary>
internal sealed class YamlConfigurationProvider(string path, string displayPath) : ConfigurationProvider, IConfigurationOrigin
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every key the file mentions (sections and list items too) with its 1-based line.</summary>
    public IReadOnlyDictionary<string, int> Lines => _lines;

    public string DisplayPath => displayPath;

    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        _lines.Clear();
        var stream = new YamlStream();
        try
        {
            using var reader = File.OpenText(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            var reason = (e.InnerException?.Message ?? e.Message).Trim();
            throw new ConfigurationException([new ConfigurationProblem($"{displayPath}:{e.Start.Line}", null, $"invalid YAML: {reason}")]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException([new ConfigurationProblem(displayPath, null, $"cannot read the file: {e.Message}")]);
        }

        if (stream.Documents.Count > 0)
        {
            switch (stream.Documents[0].RootNode)
            {
                case YamlMappingNode root:
                    Flatten(root, "", data);
                    break;
                case YamlScalarNode scalar when IsNull(scalar):
                    break;
                case var other:
                    throw new ConfigurationException([new ConfigurationProblem($"{displayPath}:{other.Start.Line}", null, "expected a mapping of keys (e.g. `monitoring:`) at the top of the file")]);
            }
        }
        Data = data;
    }

    public string? Describe(string key) =>
        _lines.TryGetValue(key, out var line) ? $"{displayPath}:{line}" : null;

    private void Flatten(YamlNode node, string key, Dictionary<string, string?> data)
    {
        if (key.Length > 0)
        {
            _lines[key] = (int)node.Start.Line;
        }
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (childKey, child) in mapping.Children)
                {
                    if (childKey is not YamlScalarNode { Value: { Length: > 0 } name })
                    {
                        throw new ConfigurationException([new ConfigurationProblem($"{displayPath}:{childKey.Start.Line}", key, "a key must be a plain name")]);
                    }
                    Flatten(child, Join(key, name), data);
                }
                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Flatten(sequence.Children[i], Join(key, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), data);
                }
                break;
            case YamlScalarNode scalar when IsNull(scalar):
                break; // `key:` or `key: ~` leaves the default in place
            case YamlScalarNode scalar:
                data[key] = scalar.Value;
                break;
            default:
                throw new ConfigurationException([new ConfigurationProblem($"{displayPath}:{node.Start.Line}", key, "aliases and other YAML node kinds are not supported here")]);
        }
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + ConfigurationPath.KeyDelimiter + name;
}

/// <summary>Adds <see cref="YamlConfigurationProvider"/> to a configuration builder.</summary>
internal sealed class YamlConfigurationSource(string path, string displayPath) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new YamlConfigurationProvider(path, displayPath);
}
