using System.CommandLine;
using Mpm.Monitor.Configuration;

namespace Mpm.Monitor.Cli;

/// <summary>The verbs parsed with System.CommandLine: <c>run</c> and <c>status</c>.</summary>
internal static class CommandLineApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Everything after the first `--` is the child command, never options of mpm.
        var separator = Array.IndexOf(args, "--");
        var (own, childCommand) = separator < 0 ? (args, Array.Empty<string>()) : (args[..separator], args[(separator + 1)..]);
        var root = Build(childCommand);
        var result = root.Parse(own);
        if (result.Errors.Count == 0 && childCommand.Length > 0 && result.CommandResult.Command.Name != "run")
        {
            return ConsoleReporter.Fail(ExitCodes.BadArguments, "only `mpm run` takes a command after --");
        }
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                Console.Error.WriteLine($"mpm: error: {error.Message}");
            }
            Console.Error.WriteLine("Run `mpm --help` for usage.");
            return ExitCodes.BadArguments;
        }
        // Signals belong to the host (graceful shutdown), not to the parser.
        return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    private static RootCommand Build(IReadOnlyList<string> childCommand)
    {
        // hook, hooks install and emit are dispatched in Program.Main before this parser loads;
        // the help text names them so `mpm --help` shows every verb.
        var root = new RootCommand("Mpm Monitor: watch what your AI coding agents do, live, in a browser.\n\n" +
            "Also: mpm hook (Claude Code hook forwarder, reads stdin), mpm hooks install [--settings PATH], " +
            "mpm emit NAME [--data JSON | --data-file FILE].");
        root.Subcommands.Add(BuildRun(childCommand));
        root.Subcommands.Add(BuildStatus());
        return root;
    }

    private static Command BuildRun(IReadOnlyList<string> childCommand)
    {
        var monitor = new Option<bool>("--monitor") { Description = "Start the monitor (HTTP API, Socket.IO, dashboard) in the foreground." };
        var open = new Option<bool>("--open") { Description = "Open the dashboard in a browser (xdg-open) once listening." };
        var (port, host, config) = ConnectionOptions();
        var run = new Command("run", "Run the monitor, optionally around a command: mpm run --monitor -- COMMAND [ARGS...] " +
            "runs COMMAND with MPM_MONITOR_URL (and MPM_MONITOR_TOKEN) set and exits with its exit code.")
        {
            monitor, port, host, config, open,
        };
        run.SetAction((result, cancellationToken) => RunVerb.RunAsync(new RunRequest(
            result.GetValue(monitor),
            new ConfigurationOverrides(result.GetValue(config), result.GetValue(port), result.GetValue(host)),
            result.GetValue(open),
            childCommand), cancellationToken));
        return run;
    }

    private static Command BuildStatus()
    {
        var (port, host, config) = ConnectionOptions();
        var status = new Command("status", "Ask a running monitor for /health and /status.") { port, host, config };
        status.SetAction((result, cancellationToken) => StatusVerb.RunAsync(
            new ConfigurationOverrides(result.GetValue(config), result.GetValue(port), result.GetValue(host)), cancellationToken));
        return status;
    }

    private static int? ParsePort(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port <= 65535)
        {
            return port;
        }
        result.AddError($"--port: expected an integer from 0 to 65535, got \"{text}\"");
        return null;
    }

    private static (Option<int?> Port, Option<string?> Host, Option<string?> Config) ConnectionOptions() =>
    (
        new Option<int?>("--port")
        {
            Description = "Port (0: any free port). Overrides monitoring.port.",
            CustomParser = ParsePort,
        },
        new Option<string?>("--host") { Description = "Address to listen on / connect to. Overrides monitoring.host." },
        new Option<string?>("--config") { Description = "Configuration file (default: $MPM_CONFIG, ./configuration.yaml, ~/.mpm/configuration.yaml)." }
    );
}
