namespace Mpm.Monitor.Configuration;

/// <summary>Inclusive bounds of an integer setting.</summary>
internal sealed record IntegerRange(long Minimum, long Maximum)
{
    public static IntegerRange AtLeast(long minimum) => new(minimum, long.MaxValue);

    public bool Contains(long value) => value >= Minimum && value <= Maximum;

    public override string ToString() =>
        Maximum == long.MaxValue ? $"of at least {Minimum}" : $"from {Minimum} to {Maximum}";
}
