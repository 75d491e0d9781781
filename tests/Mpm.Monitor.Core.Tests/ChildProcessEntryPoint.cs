namespace Mpm.Monitor.Core.Tests;

/// <summary>
/// The test assembly's entry point. The test host never calls it; the durability test starts this
/// assembly as a separate process (<c>dotnet Mpm.Monitor.Core.Tests.dll serve DB</c>) to kill it with -9.
/// </summary>
public static class ChildProcessEntryPoint
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["serve", var path])
        {
            await DurabilityTests.ServeUntilKilledAsync(path);
            return 0;
        }

        await Console.Error.WriteLineAsync("usage: Mpm.Monitor.Core.Tests serve DATABASE");
        return 2;
    }
}
