using System.Buffers.Text;

namespace Mpm.Monitor.Collectors.HostStats;

/// <summary>Whitespace-separated fields and lines of /proc text, without allocating.</summary>
internal static class AsciiFields
{
    public static ReadOnlySpan<byte> NextLine(ref ReadOnlySpan<byte> text)
    {
        var end = text.IndexOf((byte)'\n');
        ReadOnlySpan<byte> line;
        if (end < 0)
        {
            line = text;
            text = default;
        }
        else
        {
            line = text[..end];
            text = text[(end + 1)..];
        }
        return line;
    }

    public static ReadOnlySpan<byte> Next(ref ReadOnlySpan<byte> text)
    {
        var start = 0;
        while (start < text.Length && IsSpace(text[start]))
        {
            start++;
        }
        var end = start;
        while (end < text.Length && !IsSpace(text[end]))
        {
            end++;
        }
        var field = text[start..end];
        text = text[end..];
        return field;
    }

    public static ulong NextUInt64(ref ReadOnlySpan<byte> text) =>
        Utf8Parser.TryParse(Next(ref text), out ulong value, out _) ? value : 0;

    public static double NextDouble(ref ReadOnlySpan<byte> text) =>
        Utf8Parser.TryParse(Next(ref text), out double value, out _) ? value : 0;

    public static void Skip(ref ReadOnlySpan<byte> text, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Next(ref text);
        }
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n';
}
