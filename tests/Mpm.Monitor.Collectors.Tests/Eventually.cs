using System.Runtime.CompilerServices;

namespace Mpm.Monitor.Collectors.Tests;

/// <summary>Polls a condition with a generous deadline: the machine is shared and loaded.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null) where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception ex)
            {
                last = ex;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"timed out waiting for {what}" + (last is null ? "" : $" (last error: {last.Message})"), last);
    }

    public static async Task<T> GetValueAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null) where T : struct =>
        ((StrongBox<T>)await GetAsync<object>(async () => await probe() is { } value ? new StrongBox<T>(value) : null, what, timeout)).Value;

    public static Task TrueAsync(Func<Task<bool>> probe, string what, TimeSpan? timeout = null) =>
        GetAsync<object>(async () => await probe() ? new object() : null, what, timeout);

    public static Task TrueAsync(Func<bool> probe, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(probe()), what, timeout);
}
