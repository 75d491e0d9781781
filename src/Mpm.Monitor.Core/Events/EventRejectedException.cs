namespace Mpm.Monitor.Core.Events;

/// <summary>Why an event was refused. The message names the field (and the batch item) at fault.</summary>
public sealed class EventRejectedException : Exception
{
    public EventRejectedException(EventRejection reason, string detail, int? itemIndex = null)
        : base(itemIndex is int i ? $"events[{i}]: {detail}" : detail)
    {
        Reason = reason;
        Detail = detail;
        ItemIndex = itemIndex;
    }

    public EventRejection Reason { get; }

    /// <summary>What is wrong, without the batch position.</summary>
    public string Detail { get; }

    /// <summary>The position of the offending event in the published batch, when it came from one.</summary>
    public int? ItemIndex { get; }

    internal EventRejectedException ForItem(int index) => new(Reason, Detail, index);
}

public enum EventRejection
{
    /// <summary>A bad name, data that is not an object, or a known event's field of the wrong type or value.</summary>
    Invalid,

    /// <summary>The serialised event is larger than the configured maximum payload.</summary>
    TooLarge,
}
