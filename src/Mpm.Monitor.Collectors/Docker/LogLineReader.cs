using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;

namespace Mpm.Monitor.Collectors.Docker;

/// <summary>
/// Turns a logs response into lines. Without a TTY the engine multiplexes stdout and stderr in
/// frames of an 8-byte header (stream type, 3 zero bytes, big-endian payload length) and the
/// payload; a line may span frames, so each stream keeps its own unfinished line.
/// </summary>
internal static class LogLineReader
{
    private const int HeaderLength = 8;

    public static async Task<IReadOnlyList<string>> ReadAsync(Stream stream, bool multiplexed, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream);
        var lines = new List<string>();
        // Index 0 stdin (never sent), 1 stdout, 2 stderr; raw TTY output goes to 1.
        var pending = new ArrayBufferWriter<byte>[3];
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                var consumed = multiplexed ? ConsumeFrames(ref buffer, pending, lines) : ConsumeRaw(ref buffer, pending, lines);
                reader.AdvanceTo(consumed, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
        foreach (var rest in pending)
        {
            if (rest is { WrittenCount: > 0 })
            {
                lines.Add(Decode(rest.WrittenSpan));
            }
        }
        return lines;
    }

    private static SequencePosition ConsumeFrames(ref ReadOnlySequence<byte> buffer, ArrayBufferWriter<byte>[] pending, List<string> lines)
    {
        Span<byte> header = stackalloc byte[HeaderLength];
        while (buffer.Length >= HeaderLength)
        {
            buffer.Slice(0, HeaderLength).CopyTo(header);
            var length = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
            if (buffer.Length < HeaderLength + length)
            {
                break;
            }
            var stream = header[0] is 1 or 2 ? header[0] : 1;
            foreach (var segment in buffer.Slice(HeaderLength, length))
            {
                AppendSplittingLines(segment.Span, pending[stream] ??= new ArrayBufferWriter<byte>(), lines);
            }
            buffer = buffer.Slice(HeaderLength + length);
        }
        return buffer.Start;
    }

    private static SequencePosition ConsumeRaw(ref ReadOnlySequence<byte> buffer, ArrayBufferWriter<byte>[] pending, List<string> lines)
    {
        foreach (var segment in buffer)
        {
            AppendSplittingLines(segment.Span, pending[1] ??= new ArrayBufferWriter<byte>(), lines);
        }
        return buffer.End;
    }

    private static void AppendSplittingLines(ReadOnlySpan<byte> data, ArrayBufferWriter<byte> pending, List<string> lines)
    {
        int newline;
        while ((newline = data.IndexOf((byte)'\n')) >= 0)
        {
            if (pending.WrittenCount > 0)
            {
                pending.Write(data[..newline]);
                lines.Add(Decode(pending.WrittenSpan));
                pending.ResetWrittenCount();
            }
            else
            {
                lines.Add(Decode(data[..newline]));
            }
            data = data[(newline + 1)..];
        }
        pending.Write(data);
    }

    private static string Decode(ReadOnlySpan<byte> line) =>
        Encoding.UTF8.GetString(line.EndsWith((byte)'\r') ? line[..^1] : line);
}
