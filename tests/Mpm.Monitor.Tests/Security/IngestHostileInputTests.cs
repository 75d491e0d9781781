using System.Net;
using System.Text;
using System.Text.Json;
using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests.Security;

/// <summary>Bodies the ingest fuzz test found answered with a 5xx; each must be the sender's 400, and nothing stored.</summary>
public sealed class IngestHostileInputTests(IngestHostileInputTests.Monitor fixture) : IClassFixture<IngestHostileInputTests.Monitor>
{
    public sealed class Monitor : IAsyncLifetime
    {
        public MonitorProcess Process { get; private set; } = null!;

        public async Task InitializeAsync() => Process = await MonitorProcess.StartAsync();

        public async Task DisposeAsync() => await Process.DisposeAsync();
    }

    public static TheoryData<string, byte[]> Bodies() => new()
    {
        { "invalid UTF-8 in a data string", [.. """{"event":"hostile_a","data":{"timestamp":"2025-11-15T10:30:00Z","x":"""u8, (byte)'"', 0xC3, 0x28, (byte)'"', .. "}}"u8] },
        { "invalid UTF-8 in the name", [.. """{"event":"hostile_"""u8, 0xFF, .. "\",\"data\":{}}"u8] },
        { "a lone surrogate escape in the name", Encoding.UTF8.GetBytes("""{"event":"hostile_\ud800","data":{}}""") },
        { "a lone surrogate escape in session_id", Encoding.UTF8.GetBytes("""{"event":"hostile_b","data":{"session_id":"\udc00"}}""") },
        { "a lone surrogate escape in timestamp", Encoding.UTF8.GetBytes("""{"event":"hostile_c","data":{"timestamp":"\ud800"}}""") },
        { "a numeric session_id", Encoding.UTF8.GetBytes("""{"event":"hostile_d","data":{"session_id":5}}""") },
        { "deep nesting", Encoding.UTF8.GetBytes("""{"event":"hostile_e","data":{"x":""" + new string('[', 5000) + new string(']', 5000) + "}}") },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_hostile_body_gets_400_and_nothing_is_stored(string what, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        var response = await fixture.Process.Http.PostAsync("/api/events", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {text}");
        Assert.StartsWith("invalid_", JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("code").GetString());

        var stored = await fixture.Process.Http.GetStringAsync("/api/events?types=hostile_a,hostile_b,hostile_c,hostile_d,hostile_e");
        Assert.Equal(0, JsonDocument.Parse(stored).RootElement.GetProperty("events").GetArrayLength());
    }
}
