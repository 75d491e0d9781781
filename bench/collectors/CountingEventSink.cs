namespace Mpm.Monitor.Collectors.Bench;

/// <summary>Counts what would go to the event pipeline, so the bench measures collecting alone.</summary>
internal sealed class CountingEventSink : IEventSink
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Publish(string eventName, object data) => Interlocked.Increment(ref _count);
}
