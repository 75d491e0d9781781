namespace Mpm.Monitor.Cli;

/// <summary>The exit codes of CONTRACT §1.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int RuntimeFailure = 1;
    public const int BadArguments = 2;
    public const int PortUnavailable = 3;
}
