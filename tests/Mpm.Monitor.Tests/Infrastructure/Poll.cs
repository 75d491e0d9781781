namespace Mpm.Monitor.Tests.Infrastructure;

/// <summary>Waits for a condition by polling, with a generous limit (no sleeps as synchronisation).</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, string failure, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(failure);
            }
            await Task.Delay(50);
        }
    }
}
