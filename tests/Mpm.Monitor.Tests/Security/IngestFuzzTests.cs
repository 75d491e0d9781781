using System.Net;
using System.Text;
using Mpm.Monitor.Testing;
using Mpm.Monitor.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mpm.Monitor.Tests.Security;

/// <summary>
/// Seeded fuzzing of <c>POST /api/events</c> on the real mpm for a bounded time (MPM_FUZZ_SECONDS, MPM_FUZZ_SEED):
/// every mutated body is answered 202, 400 or 413 — never a 5xx — and a healthy client keeps being served.
/// </summary>
public sealed class IngestFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] Bodies =
    [
        """{"event":"agent_activity","data":{"agent":"pm","action":"invoked","session_id":"s1"}}""",
        """{"event":"file_operation","data":{"file":"/a/b.txt","operation":"write","size":12,"timestamp":"2025-11-15T10:30:00.000Z"}}""",
        """[{"event":"custom.one","data":{"n":1}},{"event":"session_update","data":{"session_id":"s","token_usage":5,"context_percentage":0.2}}]""",
        """{"namespace":"","event":"claude_event","data":{"type":"hook","subtype":"pre_tool","session_id":"s","tool_name":"Read","tool_input":{"file_path":"/x"}}}""",
        """{"event":"x","data":{"id":5,"type":"y","host":"z","nested":{"a":[1,2,3,{"b":"é\u0000"}]}}}""",
    ];

    private static readonly string[] Fragments =
    [
        "99999999999999999999999", "-1e999", "1e308", "null", "true", "\"\\ud800\"", "\"\\u0000\"", "{}", "[]", "\"event\"", "\"data\"",
        ":", ",", "\"claude_event\"", "\"" + new string('n', 70) + "\"", "{\"_placeholder\":true,\"num\":9}", "\"2025-13-45T99:99:99Z\"",
    ];

    [Fact]
    public async Task Mutated_ingest_bodies_get_4xx_never_5xx_and_the_monitor_keeps_serving()
    {
        var budget = new FuzzBudget(defaultSeconds: 8);
        output.WriteLine($"seed {budget.Seed}, {budget.Seconds} s ({budget.Replay})");
        await using var mpm = await MonitorProcess.StartAsync(new()
        {
            ConfigYaml = MonitorProcessOptions.DefaultConfigYaml.Replace("  port: 0", "  port: 0\n  metrics:\n    enabled: false"),
        });
        var (healthy, _) = await RawSocketIOClient.ConnectAsync(mpm.Url);
        await using var _healthy = healthy;
        var statuses = new Dictionary<int, int>();
        var iterations = 0;
        while (budget.Running)
        {
            iterations++;
            var body = Mutate(Bodies[budget.Random.Next(Bodies.Length)], budget.Random);
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new(budget.Random.Next(4) == 0 ? "text/plain" : "application/json");
            var response = await mpm.Http.PostAsync("/api/events", content);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status is 202 or 400 or 413,
                $"{status} {await response.Content.ReadAsStringAsync()} for a body of {body.Length} bytes starting {Convert.ToBase64String(body[..Math.Min(body.Length, 300)])} (base64); {budget.Replay}");
            if (iterations % 25 == 0)
            {
                Assert.Equal(HttpStatusCode.OK, (await mpm.Http.GetAsync("/health")).StatusCode);
                Assert.True(healthy.IsOpen, "the Socket.IO bystander was disconnected");
            }
        }
        Assert.Equal(HttpStatusCode.Accepted, (await mpm.Http.PostAsync("/api/events",
            new StringContent("""{"event":"after_fuzz","data":{}}""", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.DoesNotContain(mpm.StandardError.Lines, l => l.Contains(" ERR]") || l.Contains(" FTL]"));
        output.WriteLine($"{iterations} bodies: {string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}"))}");
    }

    private static byte[] Mutate(string valid, Random random)
    {
        var text = new StringBuilder(valid);
        for (var round = 1 + random.Next(3); round > 0; round--)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(6))
            {
                case 0 when text.Length > 0:
                    text.Remove(Math.Min(at, text.Length - 1), 1);
                    break;
                case 1:
                    text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2 when text.Length > 1:
                    text.Length = 1 + random.Next(text.Length - 1);
                    break;
                case 3:
                    var depth = random.Next(10, 3000);
                    text.Insert(at, new string('[', depth) + new string(']', depth));
                    break;
                case 4:
                    text.Insert(at, new string('x', random.Next(1, 200_000)));
                    break;
                default:
                    text.Insert(at, (char)random.Next(0, 0x3000));
                    break;
            }
        }
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        if (random.Next(8) == 0 && bytes.Length > 0)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(0x80, 0x100); // invalid UTF-8
        }
        return bytes;
    }
}
