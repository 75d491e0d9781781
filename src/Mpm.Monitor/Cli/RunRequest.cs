using Mpm.Monitor.Configuration;

namespace Mpm.Monitor.Cli;

/// <summary><c>mpm run</c> as parsed: <paramref name="Command"/> is what followed <c>--</c>, if anything.</summary>
internal sealed record RunRequest(bool Monitor, ConfigurationOverrides Overrides, bool Open, IReadOnlyList<string> Command);
