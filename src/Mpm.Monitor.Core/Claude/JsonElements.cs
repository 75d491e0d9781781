using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mpm.Monitor.Core.Claude;

/// <summary>Mapped events are built as <see cref="JsonObject"/>s; the pipeline takes <see cref="JsonElement"/>s.</summary>
internal static class JsonElements
{
    internal static JsonElement From(JsonObject data)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer)) data.WriteTo(writer);
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
