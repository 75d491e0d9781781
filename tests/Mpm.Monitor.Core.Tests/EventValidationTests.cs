using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Tests.Support;

namespace Mpm.Monitor.Core.Tests;

public sealed class EventValidationTests
{
    private static readonly DateTimeOffset Now = new(2025, 11, 15, 10, 30, 0, 123, TimeSpan.Zero);
    private readonly EventEnvelope _envelope = new("devbox-1", 2000, new ManualClock(Now));

    [Theory]
    [InlineData("", "{}", "event name \"\" is not valid")]
    [InlineData("1abc", "{}", "is not valid: it must match")]
    [InlineData("has space", "{}", "is not valid")]
    [InlineData("trailing_newline\n", "{}", "is not valid")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890123456", "{}", "is not valid")]
    [InlineData("custom", "[]", "data must be a JSON object, not array")]
    [InlineData("custom", "\"text\"", "data must be a JSON object, not string")]
    [InlineData("custom", "null", "data must be a JSON object, not null")]
    [InlineData("custom", """{"session_id":5}""", "data.session_id must be a string, not a number")]
    [InlineData("agent_activity", """{"action":"invoked"}""", "data.agent is required (a string)")]
    [InlineData("agent_activity", """{"agent":"","action":"invoked"}""", "data.agent must not be empty")]
    [InlineData("agent_activity", """{"agent":"pm"}""", "data.action is required (one of invoked, completed, failed, prompt, stopped)")]
    [InlineData("agent_activity", """{"agent":"pm","action":"started"}""", "data.action must be one of invoked, completed, failed, prompt, stopped, not \"started\"")]
    [InlineData("agent_activity", """{"agent":"pm","action":"invoked","duration_ms":-1}""", "data.duration_ms must be a non-negative number, not -1")]
    [InlineData("agent_activity", """{"agent":"pm","action":"invoked","description":3}""", "data.description must be a string, not a number")]
    [InlineData("file_operation", """{"operation":"read"}""", "data.file is required")]
    [InlineData("file_operation", """{"file":"a.txt","operation":"rename"}""", "data.operation must be one of read, write, edit, create, delete, not \"rename\"")]
    [InlineData("file_operation", """{"file":"a.txt","operation":"read","size":1.5}""", "data.size must be a non-negative integer, not 1.5")]
    [InlineData("file_operation", """{"file":"a.txt","operation":"write","content":"secret"}""", "must not carry the file's content")]
    [InlineData("session_update", """{"token_usage":1,"context_percentage":0.1}""", "data.session_id is required")]
    [InlineData("session_update", """{"session_id":"s","context_percentage":0.1}""", "data.token_usage is required (a non-negative integer)")]
    [InlineData("session_update", """{"session_id":"s","token_usage":"12","context_percentage":0.1}""", "data.token_usage must be a non-negative integer, not a string")]
    [InlineData("session_update", """{"session_id":"s","token_usage":1,"context_percentage":22.5}""", "data.context_percentage must be a number from 0 to 1")]
    [InlineData("session_update", """{"session_id":"s","token_usage":1,"context_percentage":0.2,"status":"paused"}""", "data.status must be one of active, ended, not \"paused\"")]
    [InlineData("session_update", """{"session_id":"s","token_usage":1,"context_percentage":0.2,"input_tokens":-5}""", "data.input_tokens must be a non-negative integer, not -5")]
    [InlineData("container_stats", """{"containers":{}}""", "data.containers must be an array, not an object")]
    [InlineData("container_event", """{"container":{},"action":7}""", "data.action must be a string, not a number")]
    [InlineData("system_stats", """{"cpu_percent":"high"}""", "data.cpu_percent must be a non-negative number, not a string")]
    [InlineData("system_stats", """{"load_avg":[1,2,3]}""", "data.load_avg must be an object, not an array")]
    public void Rejects_bad_input_with_a_precise_message(string name, string data, string expected)
    {
        var e = Assert.Throws<EventRejectedException>(() => _envelope.Create(name, Json.Parse(data)));
        Assert.Equal(EventRejection.Invalid, e.Reason);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("agent_activity", """{"agent":"python-engineer","action":"invoked","description":"x","parent_agent":"pm","duration_ms":12.5,"tool":"Task"}""")]
    [InlineData("file_operation", """{"file":"/a/b.cs","operation":"edit","size":10,"agent":"pm","tool":"Edit"}""")]
    [InlineData("session_update", """{"session_id":"s","token_usage":45000,"context_percentage":0.225,"status":"ended","model":"claude","input_tokens":1,"output_tokens":2,"cache_read_tokens":3,"cache_creation_tokens":4}""")]
    [InlineData("container_stats", """{"containers":[]}""")]
    [InlineData("container_event", """{"container":{"id":"c"},"action":"die"}""")]
    [InlineData("system_stats", """{"cpu_percent":150.5,"load_avg":{"1m":0.5},"network":[],"top_processes":[]}""")]
    [InlineData("my.custom:event-1", """{"anything":[1,{"nested":true}]}""")]
    [InlineData("a", "{}")]
    public void Accepts_valid_events(string name, string data) => Assert.Equal(name, _envelope.Create(name, Json.Parse(data)).Type);

    [Fact]
    public void The_envelope_is_flat_and_id_type_host_are_the_monitors_own()
    {
        var draft = _envelope.Create("agent_activity", Json.Parse("""{"id":99,"type":"spoof","host":"elsewhere","session_id":"abc123","agent":"python-engineer","action":"invoked","note":"ünïcode <b>"}"""));
        Assert.Equal(
            """{"id":7,"type":"agent_activity","timestamp":"2025-11-15T10:30:00.123Z","host":"devbox-1","session_id":"abc123","agent":"python-engineer","action":"invoked","note":"ünïcode <b>"}""",
            Json.Text(draft.Serialize(7)));
        Assert.Equal("abc123", draft.SessionId);
    }

    [Theory]
    [InlineData("2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000Z")]
    [InlineData("2024-01-02T03:04:05.6789+02:00", "2024-01-02T01:04:05.678Z")]
    public void A_valid_ISO_timestamp_in_the_data_is_the_events_time(string sent, string kept)
    {
        var draft = _envelope.Create("custom", Json.Parse($$"""{"timestamp":"{{sent}}"}"""));
        Assert.Equal(kept, Json.Parse(draft.Serialize(1)).GetProperty("timestamp").GetString());
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("\"5\"")]
    [InlineData("1731666600")]
    public void Any_other_timestamp_is_replaced_by_the_monitors_time(string sent)
    {
        var draft = _envelope.Create("custom", Json.Parse($$"""{"timestamp":{{sent}}}"""));
        Assert.Equal("2025-11-15T10:30:00.123Z", Json.Parse(draft.Serialize(1)).GetProperty("timestamp").GetString());
    }

    [Fact]
    public void An_event_over_max_payload_is_too_large()
    {
        var e = Assert.Throws<EventRejectedException>(() => _envelope.Create("custom", Json.Parse($$"""{"blob":"{{new string('x', 2000)}}"}""")));
        Assert.Equal(EventRejection.TooLarge, e.Reason);
        Assert.Contains("over the limit of 2000", e.Message, StringComparison.Ordinal);
    }
}
