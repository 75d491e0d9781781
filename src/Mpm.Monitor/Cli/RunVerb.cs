using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Mpm.Monitor.Configuration;
using Mpm.Monitor.Hosting;

namespace Mpm.Monitor.Cli;

/// <summary>
/// <c>mpm run --monitor [-- COMMAND ARGS...]</c>: start the monitor, print its URL, and either
/// wait for Ctrl-C / SIGTERM or run the command and exit with its code.
/// </summary>
internal static class RunVerb
{
    public static async Task<int> RunAsync(RunRequest request, CancellationToken cancellationToken)
    {
        LoadedConfiguration configuration;
        try
        {
            configuration = MonitorConfigurationLoader.Load(request.Overrides);
        }
        catch (ConfigurationException e)
        {
            return ConsoleReporter.ConfigurationFailed(e);
        }
        ConsoleReporter.Warn(configuration.Warnings);

        var startMonitor = request.Monitor || (configuration.Monitoring.Enabled && request.Command.Count > 0);
        if (!startMonitor && request.Command.Count == 0)
        {
            return ConsoleReporter.Fail(ExitCodes.BadArguments, "nothing to run: use `mpm run --monitor` (and optionally `-- COMMAND ARGS...`)");
        }
        if (!startMonitor)
        {
            return await ChildCommand.RunAsync(request.Command, monitorUrl: null, token: null, cancellationToken);
        }

        Serilog.Core.Logger logger;
        try
        {
            logger = MonitorLogging.Create(configuration.Monitoring.Logging);
        }
        catch (ConfigurationException e)
        {
            return ConsoleReporter.ConfigurationFailed(e);
        }
        await using (logger)
        {
            return await RunMonitorAsync(request, configuration, logger, cancellationToken);
        }
    }

    private static async Task<int> RunMonitorAsync(RunRequest request, LoadedConfiguration configuration, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        var monitoring = configuration.Monitoring;
        WebApplication app;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                app = MonitorApplication.Build(configuration, logger);
            }
            catch (SocketException e)
            {
                return ConsoleReporter.Fail(ExitCodes.BadArguments, $"monitoring.host: cannot resolve \"{monitoring.Host}\": {e.Message}");
            }

            int? failure;
            try
            {
                await MonitorApplication.StartAsync(app, monitoring, cancellationToken);
                break;
            }
            catch (PortUnavailableException) when (monitoring.Port == 0 && attempt < 5)
            {
                // Port 0 on several addresses is a port found free on all of them a moment before Kestrel
                // binds it, and another program can take it in between: find another.
                failure = null;
            }
            catch (PortUnavailableException e)
            {
                failure = ConsoleReporter.Fail(ExitCodes.PortUnavailable, e.Message);
            }
            catch (OperationCanceledException)
            {
                await app.DisposeAsync();
                throw;
            }
            catch (OptionsValidationException e)
            {
                failure = ConsoleReporter.Fail(ExitCodes.BadArguments, string.Join(Environment.NewLine, e.Failures));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.Fatal(e, "The monitor failed to start");
                failure = ConsoleReporter.Fail(ExitCodes.RuntimeFailure, $"the monitor failed to start: {e.Message} (details in {monitoring.Logging.File})");
            }

            await app.DisposeAsync();
            if (failure is int exitCode)
            {
                return exitCode;
            }
        }

        await using (app)
        {
            var url = MonitorApplication.DashboardUrl(app, monitoring);
            Console.Out.WriteLine($"Mpm Monitor listening on {url}");
            Console.Out.Flush();
            var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Mpm.Monitor");
            MonitorLog.Listening(log, url, configuration.FilePath ?? "built-in defaults", monitoring.HostLabel);
            foreach (var warning in configuration.Warnings)
            {
                MonitorLog.ConfigurationWarning(log, warning);
            }
            if (request.Open)
            {
                BrowserLauncher.Open(url, log);
            }

            if (request.Command.Count == 0)
            {
                await app.WaitForShutdownAsync(CancellationToken.None);
                return ExitCodes.Success;
            }

            var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            MonitorLog.RunningChild(log, request.Command[0]);
            var exitCode = await ChildCommand.RunAsync(request.Command, url.GetLeftPart(UriPartial.Authority),
                monitoring.Auth.Token is { Length: > 0 } token ? token : null, stopping);
            MonitorLog.ChildExited(log, request.Command[0], exitCode);
            await app.StopAsync(CancellationToken.None);
            return exitCode;
        }
    }
}
