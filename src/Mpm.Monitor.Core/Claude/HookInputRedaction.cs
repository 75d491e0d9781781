using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mpm.Monitor.Core.Claude;

/// <summary>
/// The one rule for what of a Claude Code hook input is stored and broadcast (the <c>claude_hook</c>
/// event, and the free text copied into other events). Hook inputs carry what the agent typed and
/// read: whole files, command lines with tokens, prompts with pasted keys. The monitor keeps the
/// shape and the facts of a tool call, not its payload:
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>File contents are never kept: for the file tools (Read, Write, Edit, MultiEdit, NotebookEdit)
/// the values under <c>content</c>, <c>old_string</c>, <c>new_string</c>, <c>new_source</c>,
/// <c>originalFile</c>, <c>oldString</c>, <c>newString</c>, <c>structuredPatch</c> and <c>base64</c>,
/// wherever they sit, become <c>"[file content omitted: N bytes]"</c>.</item>
/// <item>Secrets by name: the value of any key matching <see cref="SecretKeyPattern"/> (token, secret,
/// password, api key, authorization, credential, private key, cookie), unless it is a number, boolean or null,
/// becomes <c>"[redacted]"</c>.</item>
/// <item>Secrets in text: in every string, the value in <c>Authorization: …</c> headers, <c>Bearer …</c>,
/// <c>NAME=value</c> / <c>name: value</c> / <c>--name value</c> where the name matches the secret pattern,
/// passwords in URLs (<c>scheme://user:pass@</c>), PEM private keys and well-known token formats
/// (<c>sk-…</c>, <c>ghp_…</c>, <c>github_pat_…</c>, <c>AKIA…</c>, <c>xox?-…</c>) become <c>[redacted]</c>.</item>
/// <item>Size: a string longer than <see cref="MaxStringChars"/> characters is cut there and ends in
/// <c>…[truncated N bytes]</c>; if the input still does not fit the event size limit
/// (<c>websocket.max_payload</c>), its largest top-level fields other than the identifying ones are
/// replaced, largest first, by <c>"[omitted: N bytes over websocket.max_payload]"</c>.</item>
/// </list>
/// Figures the mapper derives (a file's size, a prompt's length) are taken from the input before this
/// rule applies.
/// </remarks>
internal static partial class HookInputRedaction
{
    internal const string Redacted = "[redacted]";
    internal const int MaxStringChars = 4096;

    // Room left in websocket.max_payload for the envelope (id, type, timestamp, host, session_id).
    internal const int EnvelopeAllowance = 1024;

    internal const string SecretKeyPattern = "token|secret|passw(?:or)?d|api[_-]?key|authorization|credential|private[_-]?key|cookie";

    private static readonly HashSet<string> FileTools = new(StringComparer.Ordinal) { "Read", "Write", "Edit", "MultiEdit", "NotebookEdit" };

    private static readonly HashSet<string> FileContentKeys = new(StringComparer.Ordinal)
    {
        "content", "old_string", "new_string", "new_source", "originalFile", "oldString", "newString", "structuredPatch", "base64",
    };

    // What identifies the input: never omitted to make it fit.
    private static readonly HashSet<string> IdentityKeys = new(StringComparer.Ordinal)
    {
        "hook_event_name", "session_id", "transcript_path", "cwd", "tool_name", "tool_use_id", "agent_id", "agent_type",
        "spool_id", "type", "subtype", "timestamp",
    };

    [GeneratedRegex(SecretKeyPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretKey();

    // Each alternative keeps what names the secret (group "keep") and replaces the rest of the match.
    [GeneratedRegex("""
        (?<keep>\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token|digest)\s+)?)[^\s"',;]+
        | (?<keep>\bbearer\s+)[A-Za-z0-9._~+/=-]{6,}
        | (?<keep>[A-Za-z0-9_.-]*(?:token|secret|passw(?:or)?d|api[_-]?key|credential|private[_-]?key)[A-Za-z0-9_.-]*["']?\s*[=:]\s*)(?:"[^"]*"|'[^']*'|[^\s"',;&|]+)
        | (?<keep>--?[A-Za-z0-9-]*(?:token|secret|passw(?:or)?d|api-?key)[A-Za-z0-9-]*\s+)(?!-)(?:"[^"]*"|'[^']*'|[^\s"',;&|]+)
        | (?<keep>[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+(?=@)
        | (?<keep>)-----BEGIN[A-Z\ ]*PRIVATE\ KEY-----[\s\S]*?-----END[A-Z\ ]*PRIVATE\ KEY-----
        | (?<keep>)\b(?:sk-[A-Za-z0-9_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,})
        """, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex SecretInText();

    /// <summary>
    /// A copy of <paramref name="input"/> (a hook input, or claude-mpm's event) as it may be stored, fitting
    /// <paramref name="maxBytes"/> of serialised JSON where that is possible without dropping the identifying fields.
    /// </summary>
    internal static JsonObject Apply(JsonObject input, string? toolName, int maxBytes)
    {
        var omitFileContent = toolName is not null && FileTools.Contains(toolName);
        var copy = (JsonObject)Clean(input, omitFileContent)!;
        Fit(copy, maxBytes);
        return copy;
    }

    /// <summary>Free text copied into another event (an error message, a task description): secrets redacted, at most <paramref name="maxChars"/>.</summary>
    internal static string Text(string text, int maxChars = 500)
    {
        if (text.Length <= maxChars) return Redact(text);
        // Redact a little beyond the cut, so a secret across it is still recognised whole, but not megabytes that are dropped anyway.
        var head = Redact(text.Length > maxChars + 256 ? text[..(maxChars + 256)] : text);
        if (head.Length <= maxChars && text.Length <= maxChars + 256) return head; // redaction made it fit
        var keep = Math.Min(head.Length, maxChars);
        if (char.IsHighSurrogate(head[keep - 1])) keep--;
        var dropped = Math.Max(0, Encoding.UTF8.GetByteCount(text) - Encoding.UTF8.GetByteCount(head.AsSpan(0, keep)));
        return string.Concat(head.AsSpan(0, keep), $"…[truncated {dropped} bytes]");
    }

    private static JsonNode? Clean(JsonNode? node, bool omitFileContent)
    {
        switch (node)
        {
            case JsonObject o:
                var result = new JsonObject();
                foreach (var (key, value) in o)
                {
                    if (omitFileContent && FileContentKeys.Contains(key) && value is not null)
                        result[key] = $"[file content omitted: {ContentBytes(value)} bytes]";
                    else if (value is not null && IsSecretShaped(value) && SecretKey().IsMatch(key))
                        result[key] = Redacted;
                    else
                        result[key] = Clean(value, omitFileContent);
                }

                return result;
            case JsonArray a:
                var array = new JsonArray();
                foreach (var item in a) array.Add(Clean(item, omitFileContent));
                return array;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return JsonValue.Create(Text(v.GetValue<string>(), MaxStringChars));
            default:
                return node?.DeepClone();
        }
    }

    // Numbers, booleans and null under a secret-like key ("input_tokens": 1200) are counts and flags, not secrets.
    private static bool IsSecretShaped(JsonNode value) =>
        value is JsonObject or JsonArray || value.GetValueKind() == JsonValueKind.String;

    private static string Redact(string text) =>
        SecretInText().Replace(text, m => m.Groups["keep"].Value + Redacted);

    private static void Fit(JsonObject o, int maxBytes)
    {
        var size = Bytes(o);
        if (size <= maxBytes) return;
        var candidates = o.Where(p => !IdentityKeys.Contains(p.Key) && p.Value is not null)
            .Select(p => (p.Key, Size: Bytes(p.Value!)))
            .OrderByDescending(p => p.Size)
            .ToList();
        foreach (var (key, fieldSize) in candidates)
        {
            var marker = $"[omitted: {fieldSize} bytes over websocket.max_payload]";
            o[key] = marker;
            size -= fieldSize - (marker.Length + 2);
            if (size <= maxBytes) return;
        }
    }

    // A string's own UTF-8 length; anything else (a patch's hunks) as serialised.
    private static long ContentBytes(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.String ? Encoding.UTF8.GetByteCount(value.GetValue<string>()) : Bytes(value);

    private static long Bytes(JsonNode node)
    {
        var counter = new CountingStream();
        using (var writer = new Utf8JsonWriter(counter)) node.WriteTo(writer);
        return counter.Length;
    }

    /// <summary>Counts what is written, keeps nothing: the serialised size without the serialised copy.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
