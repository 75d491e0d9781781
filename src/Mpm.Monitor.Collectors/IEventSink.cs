namespace Mpm.Monitor.Collectors;

/// <summary>Where the collectors publish their events: one call per event.</summary>
internal interface IEventSink
{
    void Publish(string eventName, object data);
}
