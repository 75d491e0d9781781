namespace Mpm.Monitor.Configuration;

/// <summary>A configuration provider that can say where a key's value came from, for error messages.</summary>
internal interface IConfigurationOrigin
{
    /// <summary>e.g. <c>configuration.yaml:4</c> or <c>--port</c>; null when the provider does not hold the key.</summary>
    string? Describe(string key);
}
