namespace Mpm.Monitor.Core.Pipeline;

/// <summary>The store could not save events (disk full, file removed, ...): not the publisher's fault.</summary>
public sealed class EventStoreUnavailableException(string message, Exception inner) : Exception(message, inner);
