using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mpm.Monitor.Core.Events;

/// <summary>Writes times in views the way events carry them ("2025-11-15T10:30:00.000Z").</summary>
public sealed class IsoTimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        EventTimestamp.TryParse(reader.GetString(), out var time) ? time : throw new JsonException("not an ISO-8601 time");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(EventTimestamp.ToText(value));
}
