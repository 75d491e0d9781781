using Mpm.Monitor.Core.Events;

namespace Mpm.Monitor.Core.Pipeline;

/// <summary>
/// Receives every stored event, once, in id order, after it is durable and the projections hold it.
/// Called on the pipeline's writer thread: it must not block (hand the event to a bounded queue or
/// write <see cref="StoredEvent.Payload"/> to non-blocking outputs). Register any number in DI as
/// <c>services.AddSingleton&lt;IEventBroadcaster, MyBroadcaster&gt;()</c>; they are resolved when the
/// pipeline starts, so a broadcaster may itself depend on <see cref="EventPipeline"/>.
/// </summary>
public interface IEventBroadcaster
{
    void Broadcast(StoredEvent storedEvent);
}
