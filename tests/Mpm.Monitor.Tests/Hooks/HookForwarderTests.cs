using System.Net;
using System.Net.Sockets;
using System.Text;
using Mpm.Monitor.Core.Claude;
using Mpm.Monitor.Hooks;

namespace Mpm.Monitor.Tests.Hooks;

public sealed class HookForwarderTests : IDisposable
{
    private const string Input = """{"session_id":"s1","transcript_path":"/tmp/t.jsonl","cwd":"/tmp","hook_event_name":"Stop","stop_hook_active":false}""";
    private static readonly TimeSpan GenerousDeadline = TimeSpan.FromSeconds(10);
    private readonly TempHome _home = new();

    [Fact]
    public async Task With_the_monitor_up_the_input_is_delivered_with_its_spool_id_and_token_and_not_spooled()
    {
        await using var monitor = await TinyMonitor.StartAsync();

        var exit = Forward(Input, new MonitorEndpoint(monitor.BaseUrl.ToString(), "s3cret"), GenerousDeadline);

        Assert.Equal(0, exit);
        var (path, headers, body) = Assert.Single(monitor.Received);
        Assert.Equal("/api/hooks/claude", path);
        Assert.Equal(Input, Encoding.UTF8.GetString(body));
        Assert.Equal("Bearer s3cret", headers.Authorization.ToString());
        Assert.Equal("application/json", headers.ContentType.ToString());
        Assert.True(HookSpool.IsValidId(headers[HookForwarder.SpoolIdHeader].ToString()));
        Assert.False(Directory.Exists(SpoolDirectory) && Directory.EnumerateFileSystemEntries(SpoolDirectory).Any());
    }

    [Fact]
    public void With_the_monitor_down_the_input_is_spooled()
    {
        var exit = Forward(Input, new MonitorEndpoint($"http://127.0.0.1:{UnusedPort()}/", null), GenerousDeadline);

        Assert.Equal(0, exit);
        var spooled = Assert.Single(Directory.EnumerateFiles(SpoolDirectory));
        Assert.Equal(Input, File.ReadAllText(spooled));
        Assert.EndsWith(".json", spooled);
    }

    [Fact]
    public async Task An_answer_that_is_no_acknowledgement_spools_the_input_under_the_id_it_was_sent_with()
    {
        await using var monitor = await TinyMonitor.StartAsync();
        monitor.Status = 503;

        Assert.Equal(0, Forward(Input, new MonitorEndpoint(monitor.BaseUrl.ToString(), null), GenerousDeadline));

        var sentId = Assert.Single(monitor.Received).Headers[HookForwarder.SpoolIdHeader].ToString();
        Assert.Equal(Path.Combine(SpoolDirectory, sentId + ".json"), Assert.Single(Directory.EnumerateFiles(SpoolDirectory)));
    }

    [Fact]
    public void A_monitor_that_never_answers_costs_the_deadline_and_the_input_is_spooled()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (backlog) but never answers
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;

        Assert.Equal(0, Forward(Input, new MonitorEndpoint($"http://127.0.0.1:{port}/", null), TimeSpan.FromMilliseconds(200)));

        Assert.Equal(Input, File.ReadAllText(Assert.Single(Directory.EnumerateFiles(SpoolDirectory))));
    }

    [Theory]
    [InlineData("", "empty input")]
    [InlineData("   \n", "empty input")]
    [InlineData("not json at all", "invalid JSON")]
    [InlineData("[1,2,3]", "not a JSON object")]
    [InlineData("{\"a\":1} {\"b\":2}", "invalid JSON")]
    public void Input_that_is_no_hook_is_dropped_with_a_log_line_and_exit_0(string input, string reason)
    {
        var exit = Forward(input, new MonitorEndpoint($"http://127.0.0.1:{UnusedPort()}/", null), GenerousDeadline);

        Assert.Equal(0, exit);
        Assert.False(Directory.Exists(SpoolDirectory));
        var log = File.ReadAllText(LogFile);
        Assert.Contains("mpm hook: dropped input that is not a hook: " + reason, log);
    }

    [Fact]
    public void An_unwritable_spool_is_logged_and_still_exits_0()
    {
        File.WriteAllText(_home.Combine("spool-is-a-file"), "");
        var options = new HookForwarderOptions(new MonitorEndpoint($"http://127.0.0.1:{UnusedPort()}/", null),
            new HookSpool(_home.Combine("spool-is-a-file", "spool")), LogFile, GenerousDeadline);

        Assert.Equal(0, HookForwarder.Forward(new MemoryStream(Encoding.UTF8.GetBytes(Input)), options));

        Assert.Contains("could not spool hook input", File.ReadAllText(LogFile));
    }

    [Theory]
    [InlineData(null, null, "http://localhost:5000/")]
    [InlineData(null, "5123", "http://localhost:5123/")]
    [InlineData(null, "99999", "http://localhost:5000/")]
    [InlineData("http://127.0.0.1:7000", "5123", "http://127.0.0.1:7000/")]
    [InlineData("http://box:7000/base/", null, "http://box:7000/base/")]
    [InlineData("ftp://box", null, "http://localhost:5000/")]
    public void The_monitor_is_found_from_the_environment(string? url, string? port, string expected)
    {
        var env = new Dictionary<string, string?> { ["MPM_MONITOR_URL"] = url, ["MPM_MONITORING__PORT"] = port };

        var endpoint = MonitorEndpoint.FromEnvironment(name => env.GetValueOrDefault(name));

        Assert.Equal(expected, endpoint.BaseUrl);
        Assert.Equal(expected + "api/hooks/claude", endpoint.Resolve("api/hooks/claude"));
    }

    [Theory]
    [InlineData("http://localhost:5000/api/hooks/claude", "localhost", 5000, "/api/hooks/claude", "localhost:5000")]
    [InlineData("http://127.0.0.1/x?y=1", "127.0.0.1", 80, "/x?y=1", "127.0.0.1:80")]
    [InlineData("HTTP://[::1]:7001", "::1", 7001, "/", "[::1]:7001")]
    public void Plain_http_urls_are_parsed_for_the_bare_socket(string url, string host, int port, string path, string authority)
    {
        var target = HttpTarget.TryParse(url);

        Assert.Equal(new HttpTarget(host, port, path), target);
        Assert.Equal(authority, target!.Authority);
    }

    [Theory]
    [InlineData("https://localhost:5000/")]
    [InlineData("http://user:pw@localhost:5000/")]
    [InlineData("http://localhost:99999/")]
    [InlineData("http://localhost:abc/")]
    [InlineData("http:///path")]
    [InlineData("http://[::1/")]
    [InlineData("localhost:5000")]
    public void Urls_the_bare_socket_cannot_serve_are_not_parsed(string url) => Assert.Null(HttpTarget.TryParse(url));

    [Theory]
    [InlineData("HTTP/1.1 202 Accepted\r\n", 202)]
    [InlineData("HTTP/1.0 500 Oops\r\n", 500)]
    public void Status_lines_are_parsed(string line, int status) =>
        Assert.Equal(status, LoopbackHttpPost.ParseStatus(Encoding.ASCII.GetBytes(line)));

    [Theory]
    [InlineData("")]
    [InlineData("SSH-2.0-OpenSSH\r\n")]
    public void Answers_that_are_not_HTTP_are_failures(string answer) =>
        Assert.Throws<IOException>(() => LoopbackHttpPost.ParseStatus(Encoding.ASCII.GetBytes(answer)));

    private string SpoolDirectory => _home.Combine("spool");

    private string LogFile => _home.Combine("logs", "hook.log");

    private int Forward(string input, MonitorEndpoint endpoint, TimeSpan deadline) =>
        HookForwarder.Forward(new MemoryStream(Encoding.UTF8.GetBytes(input)),
            new HookForwarderOptions(endpoint, new HookSpool(SpoolDirectory), LogFile, deadline));

    internal static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _home.Dispose();
}
