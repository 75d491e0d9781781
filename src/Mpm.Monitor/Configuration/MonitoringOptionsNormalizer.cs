using Mpm.Monitor.Core;
namespace Mpm.Monitor.Configuration;

/// <summary>Fills the defaults that depend on the machine: the host label and <c>~</c> in paths.</summary>
internal static class MonitoringOptionsNormalizer
{
    public static void Normalize(MonitoringOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.HostLabel))
        {
            options.HostLabel = Environment.MachineName;
        }
        options.Logging.Level = options.Logging.Level.ToUpperInvariant();
        options.Logging.File = HomePaths.Expand(options.Logging.File);
        if (options.Storage.Path != StorageOptions.InMemory)
        {
            options.Storage.Path = HomePaths.Expand(options.Storage.Path);
        }
    }

}
