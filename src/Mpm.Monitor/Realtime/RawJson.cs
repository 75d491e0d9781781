using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mpm.Monitor.Realtime;

/// <summary>
/// JSON that is already serialised (stored events, a built reply), written verbatim when passed as
/// an acknowledgement argument, so nothing is serialised twice.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
internal sealed class RawJson(ReadOnlyMemory<byte> utf8)
{
    public ReadOnlyMemory<byte> Utf8 { get; } = utf8;

    private sealed class RawJsonConverter : JsonConverter<RawJson>
    {
        public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("RawJson is written only.");

        public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
    }
}
