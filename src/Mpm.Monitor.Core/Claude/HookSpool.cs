using System.Globalization;

namespace Mpm.Monitor.Core.Claude;

/// <summary>
/// The directory where hook inputs wait when the monitor could not take them (CONTRACT §5):
/// one file per input, named by its spool id, written so that a reader never sees half a file.
/// </summary>
/// <remarks>
/// A spool id is <c>{UTC ticks:D19}-{process id:D7}-{sequence:D4}-{random:x8}</c>: sorting ids
/// ordinally sorts inputs by the time they were spooled, and two processes (or two inputs of
/// one process) never collide. A file is written as <c>.{id}.tmp</c>, flushed to disk, then
/// renamed to <c>{id}.json</c>; rename within one directory is atomic, so a <c>.json</c> file is
/// always complete. <see cref="HookSpoolDrainer"/> takes them out.
/// </remarks>
public sealed class HookSpool
{
    internal const string QueuedExtension = ".json";
    internal const string InflightExtension = ".inflight";
    internal const string TempExtension = ".tmp";

    private int _sequence;

    /// <param name="directory">the spool directory; <see cref="DefaultDirectory"/> in production.</param>
    public HookSpool(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary><c>~/.mpm/spool</c>.</summary>
    public static string DefaultDirectory => Path.Combine(HomePaths.Home, ".mpm", "spool");

    public string Directory { get; }

    /// <summary>A new spool id for an input received at <paramref name="now"/>.</summary>
    public string NewId(DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture,
        $"{now.UtcTicks:D19}-{Environment.ProcessId % 10_000_000:D7}-{Interlocked.Increment(ref _sequence) % 10_000:D4}-{Random.Shared.Next():x8}");

    /// <summary>Writes one hook input under <paramref name="spoolId"/> (from <see cref="NewId"/>); returns the file written.</summary>
    public string Write(string spoolId, ReadOnlySpan<byte> hookInput)
    {
        if (!IsValidId(spoolId)) throw new ArgumentException($"not a spool id: \"{spoolId}\"", nameof(spoolId));
        System.IO.Directory.CreateDirectory(Directory);
        var temp = Path.Combine(Directory, "." + spoolId + TempExtension);
        var final = Path.Combine(Directory, spoolId + QueuedExtension);
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            stream.Write(hookInput);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, final);
        return final;
    }

    /// <summary>The time encoded in a spool id: when the hook fired (as near as the forwarder knew).</summary>
    public static bool TryGetTime(string spoolId, out DateTimeOffset time)
    {
        time = default;
        if (!IsValidId(spoolId)) return false;
        var ticks = long.Parse(spoolId.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return false;
        time = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    /// <summary>Whether <paramref name="spoolId"/> has the shape <see cref="NewId"/> gives (so it is safe as a file name).</summary>
    public static bool IsValidId(string? spoolId)
    {
        if (spoolId is not { Length: 19 + 1 + 7 + 1 + 4 + 1 + 8 }) return false;
        for (var i = 0; i < spoolId.Length; i++)
        {
            var c = spoolId[i];
            var ok = i switch
            {
                19 or 27 or 32 => c == '-',
                > 32 => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c),
                _ => char.IsAsciiDigit(c),
            };
            if (!ok) return false;
        }
        return true;
    }
}
