using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mpm.Monitor.Core.Events;

/// <summary>
/// Turns a name and data into a validated <see cref="EventDraft"/>: checks the name and the known
/// types' fields, and serialises envelope and data into the event's one JSON form.
/// </summary>
internal sealed class EventEnvelope
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Events go to JSON clients, never into HTML: keep non-ASCII text as UTF-8 instead of \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly string _host;
    private readonly int _maxPayloadBytes;
    private readonly TimeProvider _clock;

    public EventEnvelope(string host, int maxPayloadBytes, TimeProvider clock)
    {
        _host = host;
        _maxPayloadBytes = maxPayloadBytes;
        _clock = clock;
    }

    public EventDraft Create(string name, JsonElement data)
    {
        if (!EventName.IsValid(name))
        {
            throw new EventRejectedException(
                EventRejection.Invalid,
                $"event name \"{Truncate(name)}\" is not valid: it must match {EventName.Pattern}");
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new EventRejectedException(EventRejection.Invalid, $"data must be a JSON object, not {data.ValueKind.ToString().ToLowerInvariant()}");
        }

        // A JSON parser accepts invalid UTF-8 and lone surrogate escapes inside strings; reading such a string
        // throws InvalidOperationException, which must be the sender's 400, never the server's failure.
        if (!System.Text.Unicode.Utf8.IsValid(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(data)))
        {
            throw new EventRejectedException(EventRejection.Invalid, "data holds text that is not valid UTF-8");
        }

        try
        {
            return CreateValidated(name, data);
        }
        catch (InvalidOperationException e)
        {
            throw new EventRejectedException(EventRejection.Invalid, $"data holds a string that cannot be read: {e.Message}");
        }
    }

    private EventDraft CreateValidated(string name, JsonElement data)
    {
        KnownEventRules.Validate(name, data);

        var timestamp = EventTimestamp.TruncateToMilliseconds(_clock.GetUtcNow());
        string? sessionId = null;
        if (data.TryGetProperty("timestamp", out var sent) && sent.ValueKind == JsonValueKind.String
            && EventTimestamp.TryParse(sent.GetString(), out var sentTime))
        {
            timestamp = sentTime;
        }

        if (data.TryGetProperty("session_id", out var session))
        {
            sessionId = session.ValueKind == JsonValueKind.String
                ? session.GetString()
                : throw new EventRejectedException(EventRejection.Invalid, $"session_id must be a string, not {session.ValueKind.ToString().ToLowerInvariant()}");
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, name);
            writer.WriteString("timestamp"u8, EventTimestamp.ToText(timestamp));
            writer.WriteString("host"u8, _host);
            if (sessionId is not null)
            {
                writer.WriteString("session_id"u8, sessionId);
            }

            foreach (var property in data.EnumerateObject())
            {
                if (!IsEnvelopeField(property))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        var draft = new EventDraft(name, timestamp, sessionId, buffer.WrittenSpan.ToArray());
        if (draft.MaxPayloadLength > _maxPayloadBytes)
        {
            throw new EventRejectedException(
                EventRejection.TooLarge,
                $"event \"{name}\" is about {draft.MaxPayloadLength} bytes, over the limit of {_maxPayloadBytes} (websocket.max_payload)");
        }

        return draft;
    }

    private static bool IsEnvelopeField(JsonProperty property) =>
        property.NameEquals("id"u8) || property.NameEquals("type"u8) || property.NameEquals("timestamp"u8)
        || property.NameEquals("host"u8) || property.NameEquals("session_id"u8);

    private static string Truncate(string? name) => name is null ? "" : name.Length <= 80 ? name : name[..80] + "…";
}
