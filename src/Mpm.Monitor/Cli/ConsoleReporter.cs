using Mpm.Monitor.Configuration;

namespace Mpm.Monitor.Cli;

/// <summary>What <c>mpm</c> tells the user before logging exists: errors and warnings on stderr.</summary>
internal static class ConsoleReporter
{
    public static int ConfigurationFailed(ConfigurationException exception)
    {
        Warn(exception.Warnings);
        foreach (var problem in exception.Problems)
        {
            Console.Error.WriteLine($"mpm: error: {problem}");
        }
        return ExitCodes.BadArguments;
    }

    public static void Warn(IEnumerable<ConfigurationProblem> warnings)
    {
        foreach (var warning in warnings)
        {
            Console.Error.WriteLine($"mpm: warning: {warning}");
        }
    }

    public static int Fail(int exitCode, string message)
    {
        Console.Error.WriteLine($"mpm: error: {message}");
        return exitCode;
    }
}
