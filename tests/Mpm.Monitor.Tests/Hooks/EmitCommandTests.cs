using System.Text.Json.Nodes;
using Mpm.Monitor.Hooks;

namespace Mpm.Monitor.Tests.Hooks;

public sealed class EmitCommandTests : IDisposable
{
    private readonly TempHome _dir = new();
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    [Fact]
    public async Task An_event_is_posted_and_its_stored_id_printed()
    {
        await using var monitor = await TinyMonitor.StartAsync();

        var exit = await Emit(new MonitorEndpoint(monitor.BaseUrl.ToString(), "tok"), "deploy.finished", "--data", """{"service":"shop","ok":true}""");

        Assert.Equal(0, exit);
        Assert.Equal("42" + Environment.NewLine, _stdout.ToString());
        var (path, headers, body) = Assert.Single(monitor.Received);
        Assert.Equal("/api/events", path);
        Assert.Equal("Bearer tok", headers.Authorization.ToString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"event":"deploy.finished","data":{"service":"shop","ok":true}}"""), JsonNode.Parse(body)));
    }

    [Fact]
    public async Task Data_can_come_from_a_file_and_defaults_to_an_empty_object()
    {
        await using var monitor = await TinyMonitor.StartAsync();
        var file = _dir.Combine("data.json");
        await File.WriteAllTextAsync(file, """{"n":1}""");

        Assert.Equal(0, await Emit(new MonitorEndpoint(monitor.BaseUrl.ToString(), null), "a", "--data-file", file));
        Assert.Equal(0, await Emit(new MonitorEndpoint(monitor.BaseUrl.ToString(), null), "b"));

        var bodies = monitor.Received.Select(r => JsonNode.Parse(r.Body)!["data"]!.ToJsonString()).ToList();
        Assert.Equal(["""{"n":1}""", "{}"], bodies);
    }

    [Theory]
    [InlineData(new[] { "1bad" }, "invalid event name \"1bad\"")]
    [InlineData(new[] { "has space" }, "invalid event name")]
    [InlineData(new[] { "x", "--data", "{\"a\":" }, "--data is not valid JSON (line 1")]
    [InlineData(new[] { "x", "--data", "[1]" }, "--data must be a JSON object")]
    [InlineData(new[] { "x", "--data", "{}", "--data-file", "f" }, "either --data or --data-file, not both")]
    [InlineData(new[] { "x", "--data-file", "/nonexistent/data.json" }, "cannot read /nonexistent/data.json")]
    [InlineData(new[] { "x", "--data" }, "option --data needs a value")]
    [InlineData(new[] { "x", "y" }, "unexpected argument \"y\"")]
    [InlineData(new string[0], "missing event name")]
    public async Task Bad_arguments_exit_2_with_a_clear_message_and_send_nothing(string[] args, string message)
    {
        await using var monitor = await TinyMonitor.StartAsync();

        Assert.Equal(2, await Emit(new MonitorEndpoint(monitor.BaseUrl.ToString(), null), args));

        Assert.Contains(message, _stderr.ToString());
        Assert.Empty(monitor.Received);
    }

    [Fact]
    public void A_64_character_name_is_accepted_and_65_refused()
    {
        Assert.Null(EmitCommand.ParseArguments(["a" + new string('b', 63)], out _, out _));
        Assert.NotNull(EmitCommand.ParseArguments(["a" + new string('b', 64)], out _, out _));
        Assert.Null(EmitCommand.ParseArguments(["A1_.:-z"], out _, out _));
    }

    [Fact]
    public async Task No_monitor_exits_1_saying_where_it_looked()
    {
        var url = new Uri($"http://127.0.0.1:{HookForwarderTests.UnusedPort()}/");

        Assert.Equal(1, await Emit(new MonitorEndpoint(url.ToString(), null), "x"));

        Assert.Contains($"no monitor answers at {url}", _stderr.ToString());
        Assert.Equal("", _stdout.ToString());
    }

    [Fact]
    public async Task A_refusal_exits_1_with_the_monitors_message()
    {
        await using var monitor = await TinyMonitor.StartAsync();
        monitor.Status = 401;
        monitor.ResponseBody = """{"error":{"code":"unauthorized","message":"missing or wrong token"}}""";

        Assert.Equal(1, await Emit(new MonitorEndpoint(monitor.BaseUrl.ToString(), null), "x"));

        Assert.Contains("refused the event: 401 missing or wrong token", _stderr.ToString());
    }

    private Task<int> Emit(MonitorEndpoint endpoint, params string[] args) =>
        EmitCommand.RunAsync(args, _stdout, _stderr, endpoint, CancellationToken.None);

    public void Dispose() => _dir.Dispose();
}
