using System.Net.Sockets;
using System.Text;
using Mpm.Monitor.Tests.Infrastructure;

namespace Mpm.Monitor.Tests.Security;

/// <summary>
/// No request reaches a file outside the dashboard folder: raw request lines (not normalised by a
/// client) with dot segments, encoded dots and slashes, backslashes and double encoding; and the
/// container logs endpoint takes only a container id or name.
/// </summary>
public sealed class PathTraversalTests(PathTraversalTests.Monitor fixture) : IClassFixture<PathTraversalTests.Monitor>
{
    public sealed class Monitor : IAsyncLifetime
    {
        public MonitorProcess Process { get; private set; } = null!;

        public async Task InitializeAsync() => Process = await MonitorProcess.StartAsync();

        public async Task DisposeAsync() => await Process.DisposeAsync();
    }

    private MonitorProcess Mpm => fixture.Process;

    // Contents of files outside the dashboard folder: /etc/passwd, mpm's own files beside it, its configuration.
    private static readonly string[] Secrets = ["root:x:0:0", "runtimeOptions", "runtimeTarget", "storage:", "MZ\u0090"];

    [Theory]
    [InlineData("/../../../../../../etc/passwd")]
    [InlineData("/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd")]
    [InlineData("/%252e%252e/%252e%252e/etc/passwd")]
    [InlineData("/..%5c..%5c..%5cetc%5cpasswd")]
    [InlineData("/assets/..%2f..%2fmpm.runtimeconfig.json")]
    [InlineData("/assets/../../mpm.runtimeconfig.json")]
    [InlineData("/assets/%2e%2e/%2e%2e/mpm.deps.json")]
    [InlineData("/dashboard/../mpm.runtimeconfig.json")]
    [InlineData("/mpm.runtimeconfig.json")]
    [InlineData("/mpm.deps.json")]
    [InlineData("/mpm.dll")]
    [InlineData("/configuration.yaml")]
    [InlineData("//etc/passwd")]
    [InlineData("/assets//..//..//mpm.deps.json")]
    [InlineData("/index.html/../../mpm.deps.json")]
    [InlineData("/api/containers/..%2f..%2f..%2fetc%2fpasswd/logs")]
    [InlineData("/api/containers/%2e%2e/logs")]
    [InlineData("/api/containers/.hidden/logs?tail=1")]
    public async Task A_traversal_attempt_never_returns_a_file_outside_the_dashboard(string target)
    {
        foreach (var method in new[] { "GET", "HEAD" })
        {
            var (status, body) = await RawRequestAsync(method, target);
            Assert.True(status is 200 or 400 or 404 or 405 or 503, $"{method} {target}: {status} {body}");
            foreach (var secret in Secrets)
            {
                Assert.DoesNotContain(secret, body);
            }
            if (status == 200 && method == "GET")
            {
                Assert.Contains("<html", body, StringComparison.OrdinalIgnoreCase); // the SPA page for an unknown path, nothing else
            }
        }
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Mpm.Http.GetAsync("/health")).StatusCode);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("-rf")]
    [InlineData("a b")]
    [InlineData("x;rm")]
    public async Task The_container_logs_endpoint_validates_the_id(string id)
    {
        var response = await Mpm.Http.GetAsync($"/api/containers/{Uri.EscapeDataString(id)}/logs");
        Assert.True((int)response.StatusCode is 400 or 404, $"{id}: {response.StatusCode}");
        Assert.DoesNotContain("root:x:0:0", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends the request target exactly as given (HttpClient would normalise it) and reads the whole response.</summary>
    private async Task<(int Status, string Body)> RawRequestAsync(string method, string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Mpm.Url.Host, Mpm.Url.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        using var reader = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(reader, timeout.Token);
        var text = Encoding.Latin1.GetString(reader.ToArray());
        var statusLine = text[..text.IndexOf('\r')];
        return (int.Parse(statusLine.Split(' ')[1]), text);
    }
}
