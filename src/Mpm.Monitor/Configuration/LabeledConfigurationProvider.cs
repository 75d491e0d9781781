using Microsoft.Extensions.Configuration;

namespace Mpm.Monitor.Configuration;

/// <summary>In-memory values that know their origin, such as <c>--port</c> or <c>MPM_MONITOR_TOKEN</c>.</summary>
internal sealed class LabeledConfigurationProvider : ConfigurationProvider, IConfigurationOrigin
{
    private readonly Dictionary<string, string> _origins = new(StringComparer.OrdinalIgnoreCase);

    public LabeledConfigurationProvider(IEnumerable<(string Key, string Value, string Origin)> values)
    {
        foreach (var (key, value, origin) in values)
        {
            Data[key] = value;
            _origins[key] = origin;
        }
    }

    public string? Describe(string key) => _origins.GetValueOrDefault(key);
}

internal sealed class LabeledConfigurationSource(IEnumerable<(string Key, string Value, string Origin)> values) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new LabeledConfigurationProvider(values);
}
