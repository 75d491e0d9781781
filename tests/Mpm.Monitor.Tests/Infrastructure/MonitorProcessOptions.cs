namespace Mpm.Monitor.Tests.Infrastructure;

/// <summary>How <see cref="MonitorProcess"/> starts <c>mpm</c>.</summary>
public sealed record MonitorProcessOptions
{
    /// <summary>
    /// The configuration file's text, written to <c>{Home}/configuration.yaml</c> and passed with
    /// <c>--config</c>; null passes no <c>--config</c> (to test the lookup order).
    /// <c>~</c> in it is the process's private home folder.
    /// </summary>
    public string? ConfigYaml { get; init; } = DefaultConfigYaml;

    /// <summary>Verb and flags; <c>--config</c> is appended when <see cref="ConfigYaml"/> is set.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = ["run", "--monitor"];

    /// <summary>Arguments after <c>--</c> (a child command), appended last.</summary>
    public IReadOnlyList<string> ChildCommand { get; init; } = [];

    /// <summary>Extra environment variables (null removes one). MPM_* of the test process are never inherited.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Working directory; default: the private home folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Any free port on loopback, Docker off, events in memory, logs under the private home:
    /// a monitor that touches nothing outside its temporary folder.
    /// </summary>
    public const string DefaultConfigYaml = """
        monitoring:
          port: 0
          docker:
            enabled: false
          storage:
            path: ":memory:"
          logging:
            level: INFO
            file: "~/logs/mpm.log"
        """;
}
