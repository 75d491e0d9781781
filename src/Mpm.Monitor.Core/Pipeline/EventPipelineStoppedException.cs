namespace Mpm.Monitor.Core.Pipeline;

/// <summary>
/// The monitor is shutting down and takes no more events: not the publisher's fault, so callers
/// answer "try later" (503), unlike the <see cref="InvalidOperationException"/> that reading a
/// malformed string throws, which is the sender's (400).
/// </summary>
public sealed class EventPipelineStoppedException() : Exception("the monitor is stopping and takes no more events");
