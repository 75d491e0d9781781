namespace Mpm.Monitor.SocketIO.Tests;

/// <summary>Polls a condition until it holds (generous deadline for a loaded machine); no fixed sleeps.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(20);
        }
    }
}
