using System.Text;
using System.Text.Json.Nodes;
using Mpm.Monitor.Core.Claude;

namespace Mpm.Monitor.Core.Tests.Claude;

public sealed class TranscriptUsageReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Fixture_transcript_gives_latest_context_and_totals_counting_each_message_once()
    {
        var usage = await new TranscriptUsageReader().ReadAsync(Fixture.PathOf("transcript.jsonl"));

        // latest main-conversation line (msg_2): 6 + 40 + 20000 + 500; the sidechain line is not the main context
        Assert.Equal(new TranscriptUsage(20546, 0.10273, "claude-sonnet-4-5-20250929", 110, 210, 28000, 12500), usage);
    }

    [Fact]
    public async Task Missing_file_is_empty_usage()
    {
        Assert.Equal(TranscriptUsage.Empty, await new TranscriptUsageReader().ReadAsync(_temp.File("absent.jsonl")));
    }

    [Fact]
    public async Task A_large_transcript_is_read_once_and_then_only_its_appended_bytes()
    {
        var path = _temp.File("large.jsonl");
        var (lines, expectedOutput) = await WriteLargeTranscriptAsync(path, targetBytes: 100L * 1024 * 1024);
        var reader = new TranscriptUsageReader();

        var first = await reader.ReadAsync(path);
        var length = new FileInfo(path).Length;
        Assert.Equal(length, reader.BytesRead);
        Assert.Equal(expectedOutput, first.OutputTokens);
        Assert.True(lines > 50_000, $"only {lines} lines generated");

        var appended = Assistant("msg_last", "claude-opus-4-1-20250805", input: 1, output: 7, cacheRead: 150_000, cacheCreation: 2) + "\n";
        await File.AppendAllTextAsync(path, appended);
        var second = await reader.ReadAsync(path);

        // the appended line, plus the 256-byte head compared to notice a replaced file
        Assert.Equal(Encoding.UTF8.GetByteCount(appended) + 256, reader.BytesRead - length);
        Assert.Equal(150_010, second.TokenUsage);
        Assert.Equal(0.75005, second.ContextPercentage, 6);
        Assert.Equal("claude-opus-4-1-20250805", second.Model);
        Assert.Equal(expectedOutput + 7, second.OutputTokens);

        var third = await reader.ReadAsync(path);
        Assert.Equal(second, third);
        Assert.Equal(Encoding.UTF8.GetByteCount(appended) + 512, reader.BytesRead - length); // nothing new: only the head
    }

    [Fact]
    public async Task A_partial_last_line_waits_until_it_is_complete()
    {
        var path = _temp.File("partial.jsonl");
        var line = Assistant("m1", "claude-sonnet-4-5", 10, 20, 30, 40);
        await File.WriteAllTextAsync(path, line[..(line.Length / 2)]);
        var reader = new TranscriptUsageReader();

        Assert.Equal(0, (await reader.ReadAsync(path)).TokenUsage);

        await File.AppendAllTextAsync(path, line[(line.Length / 2)..] + "\n");
        Assert.Equal(100, (await reader.ReadAsync(path)).TokenUsage);
    }

    [Fact]
    public async Task A_truncated_transcript_is_read_again_from_the_start()
    {
        var path = _temp.File("truncated.jsonl");
        await File.WriteAllTextAsync(path, Assistant("m1", "claude-sonnet-4-5", 1000, 2000, 3000, 4000) + "\n"
                                           + Assistant("m2", "claude-sonnet-4-5", 1000, 2000, 3000, 4000) + "\n");
        var reader = new TranscriptUsageReader();
        Assert.Equal(2000, (await reader.ReadAsync(path)).InputTokens);

        await File.WriteAllTextAsync(path, Assistant("m9", "claude-haiku-4-5", 1, 2, 3, 4) + "\n");
        var after = await reader.ReadAsync(path);

        Assert.Equal(new TranscriptUsage(10, 0.00005, "claude-haiku-4-5", 1, 2, 3, 4), after);
    }

    [Fact]
    public async Task A_transcript_replaced_by_a_longer_one_is_read_again_from_the_start()
    {
        var path = _temp.File("replaced.jsonl");
        await File.WriteAllTextAsync(path, Assistant("a", "claude-sonnet-4-5", 5, 5, 5, 5) + "\n");
        var reader = new TranscriptUsageReader();
        await reader.ReadAsync(path);

        await File.WriteAllTextAsync(path, Assistant("b", "claude-sonnet-4-5", 7, 7, 7, 7) + "\n" + Assistant("c", "claude-sonnet-4-5", 1, 1, 1, 1) + "\n");

        Assert.Equal(8, (await reader.ReadAsync(path)).InputTokens);
    }

    [Fact]
    public async Task Corrupt_and_foreign_lines_are_skipped()
    {
        var path = _temp.File("corrupt.jsonl");
        await File.WriteAllTextAsync(path, "{\"type\":\"assistant\",\"message\":{\"usage\":\n"
                                           + "[1,2,\"usage\"]\n"
                                           + "{\"type\":\"user\",\"message\":{\"usage\":{\"input_tokens\":999}}}\n"
                                           + Assistant("ok", "claude-sonnet-4-5", 1, 2, 3, 4) + "\n");

        Assert.Equal(new TranscriptUsage(10, 0.00005, "claude-sonnet-4-5", 1, 2, 3, 4), await new TranscriptUsageReader().ReadAsync(path));
    }

    [Theory]
    [InlineData("claude-sonnet-4-5-20250929[1m]", 100_000, 0.1)]
    [InlineData("claude-opus-4-6", 100_000, 0.1)]
    [InlineData("claude-sonnet-4-6", 250_000, 0.25)]
    [InlineData("claude-sonnet-4-5-20250929", 300_000, 0.3)] // beyond 200k: the 1M beta must be on
    [InlineData("claude-sonnet-4-5-20250929", 100_000, 0.5)]
    [InlineData("claude-opus-4-1-20250805", 100_000, 0.5)]
    [InlineData("claude-haiku-4-5-20251001", 50_000, 0.25)]
    public async Task Context_percentage_uses_the_models_context_window(string model, long tokens, double expected)
    {
        var path = _temp.File("model.jsonl");
        await File.WriteAllTextAsync(path, Assistant("m", model, tokens, 0, 0, 0) + "\n");

        Assert.Equal(expected, (await new TranscriptUsageReader().ReadAsync(path)).ContextPercentage, 6);
    }

    [Fact]
    public async Task Only_a_bounded_number_of_transcripts_is_remembered()
    {
        var reader = new TranscriptUsageReader(maxTrackedPaths: 2);
        foreach (var name in new[] { "a", "b", "c" })
        {
            var path = _temp.File(name + ".jsonl");
            await File.WriteAllTextAsync(path, Assistant(name, "claude-sonnet-4-5", 1, 1, 1, 1) + "\n");
            await reader.ReadAsync(path);
        }

        Assert.Equal(2, reader.TrackedPaths);
    }

    [Fact]
    public async Task Concurrent_reads_of_one_transcript_count_each_line_once()
    {
        var path = _temp.File("concurrent.jsonl");
        var text = new StringBuilder();
        for (var i = 0; i < 2000; i++) text.Append(Assistant("m" + i, "claude-sonnet-4-5", 1, 1, 1, 1)).Append('\n');
        await File.WriteAllTextAsync(path, text.ToString());
        var reader = new TranscriptUsageReader();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => reader.ReadAsync(path))));

        Assert.All(results, r => Assert.Equal(2000, r.InputTokens));
    }

    private static async Task<(int Lines, long Output)> WriteLargeTranscriptAsync(string path, long targetBytes)
    {
        var padding = new string('x', 900);
        long output = 0;
        var lines = 0;
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 20);
        long written = 0;
        while (written < targetBytes)
        {
            var line = lines % 50 == 0
                ? Assistant("msg_" + lines, "claude-sonnet-4-5-20250929", 3, 5, 1000, 10)
                : new JsonObject { ["type"] = "user", ["message"] = new JsonObject { ["role"] = "user", ["content"] = padding } }.ToJsonString();
            if (lines % 50 == 0) output += 5;
            await writer.WriteAsync(line);
            await writer.WriteAsync('\n');
            written += line.Length + 1;
            lines++;
        }
        return (lines, output);
    }

    private static string Assistant(string id, string model, long input, long output, long cacheRead, long cacheCreation) =>
        new JsonObject
        {
            ["type"] = "assistant",
            ["isSidechain"] = false,
            ["message"] = new JsonObject
            {
                ["id"] = id,
                ["model"] = model,
                ["role"] = "assistant",
                ["usage"] = new JsonObject
                {
                    ["input_tokens"] = input,
                    ["output_tokens"] = output,
                    ["cache_read_input_tokens"] = cacheRead,
                    ["cache_creation_input_tokens"] = cacheCreation,
                },
            },
        }.ToJsonString();

    [Fact]
    public async Task Usage_past_every_known_window_is_reported_full_and_negative_counts_as_zero()
    {
        // session_update requires context_percentage in 0..1 and counts >= 0; a transcript must not make the mapped batch invalid.
        var path = _temp.File("odd.jsonl");
        await File.WriteAllTextAsync(path,
            """{"type":"assistant","message":{"id":"m1","model":"some-future-model","usage":{"input_tokens":-5,"output_tokens":1500000,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}}""" + "\n");

        var usage = await new TranscriptUsageReader().ReadAsync(path);

        Assert.Equal(1, usage.ContextPercentage);
        Assert.Equal(1_500_000, usage.TokenUsage);
        Assert.Equal(0, usage.InputTokens);
    }

    public void Dispose() => _temp.Dispose();
}
