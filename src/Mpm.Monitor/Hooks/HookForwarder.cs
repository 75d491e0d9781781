using Mpm.Monitor.Core;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mpm.Monitor.Core.Claude;

namespace Mpm.Monitor.Hooks;

/// <summary>
/// <c>mpm hook</c>: hands the hook input Claude Code writes to stdin to the monitor
/// (<c>POST /api/hooks/claude</c>), or to the spool when the monitor does not acknowledge it in time.
/// Prints nothing, exits 0 whatever happens: a hook must never disturb or fail the agent.
/// </summary>
/// <remarks>
/// Input that is not a JSON object (empty stdin, garbage) is no hook input: it is dropped with one
/// line in <c>~/.mpm/logs/hook.log</c>, since spooling it would only make the drain reject it later.
/// Every input gets its spool id before it is sent, and the id travels as the
/// <c>X-Mpm-Spool-Id</c> header: if the monitor stored it but the answer came too late, the
/// spooled copy has the same id and the store recognises it when the spool is drained.
/// </remarks>
public static class HookForwarder
{
    /// <summary>The header carrying the spool id (idempotency key) of a forwarded hook input.</summary>
    public const string SpoolIdHeader = "X-Mpm-Spool-Id";

    internal const string IngestPath = "api/hooks/claude";

    /// <summary>Connect, send and answer must all fit in this, leaving the rest of 100 ms to process start and spooling.</summary>
    internal static readonly TimeSpan DefaultDeadline = TimeSpan.FromMilliseconds(65);

    /// <summary>
    /// Entry point of <c>mpm hook</c>. <paramref name="args"/> are those after <c>hook</c> (none are defined; they are ignored).
    /// <c>MPM_HOOK_TIMEOUT_MS</c> (1–10000) replaces the 65 ms deadline, for machines too slow or too loaded to answer in time.
    /// </summary>
    public static int Run(string[] args, Stream stdin)
    {
        _ = args;
        var home = HomePaths.Home;
        var deadline = Environment.GetEnvironmentVariable("MPM_HOOK_TIMEOUT_MS") is { } ms
                       && int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 10_000
            ? TimeSpan.FromMilliseconds(n) : DefaultDeadline;
        var options = new HookForwarderOptions(
            MonitorEndpoint.FromEnvironment(),
            new HookSpool(HookSpool.DefaultDirectory),
            Path.Combine(home, ".mpm", "logs", "hook.log"),
            deadline);
        return Forward(stdin, options);
    }

    internal static int Forward(Stream stdin, HookForwarderOptions options)
    {
        byte[] input;
        try
        {
            input = ReadAll(stdin);
        }
        catch (Exception e)
        {
            Log(options, $"could not read stdin: {e.Message}");
            return 0;
        }

        if (Validate(input) is { } problem)
        {
            Log(options, $"dropped input that is not a hook: {problem}; {input.Length} bytes: {Preview(input)}");
            return 0;
        }

        var spoolId = options.Spool.NewId(DateTimeOffset.UtcNow);
        try
        {
            if (Deliver(input, spoolId, options)) return 0;
        }
        catch (Exception)
        {
            // Refused, timed out, reset: whatever it was, the spool takes the input.
        }

        try
        {
            options.Spool.Write(spoolId, input);
        }
        catch (Exception e)
        {
            Log(options, $"could not spool hook input {spoolId} to {options.Spool.Directory}: {e.Message}");
        }
        return 0;
    }

    private static bool Deliver(byte[] input, string spoolId, HookForwarderOptions options)
    {
        var url = options.Endpoint.Resolve(IngestPath);
        var headers = new List<KeyValuePair<string, string>>(2) { new(SpoolIdHeader, spoolId) };
        if (options.Endpoint.Token is { } token) headers.Add(new("Authorization", "Bearer " + token));

        int status;
        if (HttpTarget.TryParse(url) is { } target)
        {
            status = LoopbackHttpPost.Post(target, input, headers, options.Deadline);
        }
        else
        {
            using var deadline = new CancellationTokenSource(options.Deadline);
            using var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(input) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
            using var response = client.Send(request, deadline.Token);
            status = (int)response.StatusCode;
        }
        // Anything but an acknowledgement (a 401 from a wrong token, a 5xx, a 413) is spooled:
        // the drain delivers inside the monitor, where none of these apply.
        return status is >= 200 and < 300;
    }

    private static byte[] ReadAll(Stream stdin)
    {
        using var buffer = new MemoryStream();
        stdin.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Null when <paramref name="input"/> is one well-formed JSON object, else why not.</summary>
    internal static string? Validate(ReadOnlySpan<byte> input)
    {
        if (input.Trim(" \t\r\n"u8).IsEmpty) return "empty input";
        var reader = new Utf8JsonReader(input, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return "not a JSON object";
            reader.Skip();
            if (reader.Read()) return "more than one JSON value";
            return null;
        }
        catch (JsonException e)
        {
            return "invalid JSON: " + e.Message;
        }
    }

    private static string Preview(byte[] input) =>
        // Escaped like a JSON string so control characters cannot break the log line; no serializer start-up.
        "\"" + JsonEncodedText.Encode(Encoding.UTF8.GetString(input, 0, Math.Min(input.Length, 120))).ToString() + "\"";

    private static void Log(HookForwarderOptions options, string message)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(options.LogFile)!);
            File.AppendAllText(options.LogFile,
                string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} mpm hook: {message}{Environment.NewLine}"));
        }
        catch (Exception)
        {
            // Nowhere left to report to; the agent must not notice.
        }
    }
}

/// <summary>Where <see cref="HookForwarder"/> delivers, spools and logs, and how long it may wait.</summary>
internal sealed record HookForwarderOptions(MonitorEndpoint Endpoint, HookSpool Spool, string LogFile, TimeSpan Deadline);
