namespace Mpm.Monitor.Core.Events;

/// <summary>Why an event was refused. The message names the field (and the batch item) at fault.</summary>
public sealed class EventRejectedException : Exception
{
    public EventRejectedException(EventRejection reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public EventRejection Reason { get; }

    /// <summary>A copy whose message says which item of a batch was at fault.</summary>
    internal EventRejectedException ForItem(int index) => new(Reason, $"events[{index}]: {Message}");
}

public enum EventRejection
{
    /// <summary>A bad name, data that is not an object, or a known event's field of the wrong type or value.</summary>
    Invalid,

    /// <summary>The serialised event is larger than the configured maximum payload.</summary>
    TooLarge,
}
