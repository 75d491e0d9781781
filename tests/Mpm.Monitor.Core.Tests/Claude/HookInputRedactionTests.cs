using System.Text;
using System.Text.Json.Nodes;
using Mpm.Monitor.Core.Claude;

namespace Mpm.Monitor.Core.Tests.Claude;

public sealed class HookInputRedactionTests
{
    private const int Large = 1_000_000;

    [Fact]
    public void Values_of_secret_named_keys_are_redacted_wherever_they_sit_but_counts_are_kept()
    {
        var input = Parse("""
            {"hook_event_name":"PreToolUse","tool_name":"mcp__api__call","session_id":"s",
             "tool_input":{"url":"https://api","headers":{"Authorization":"Bearer abc.def","X-Api-Key":"k-123"},
                           "env":[{"GITHUB_TOKEN":"ghx"},{"db_password":"hunter2"}],"client_secret":{"v":"x"},
                           "max_tokens":1000,"has_password":true,"session_token":null}}
            """);

        var kept = HookInputRedaction.Apply(input, "mcp__api__call", Large);

        var toolInput = kept["tool_input"]!;
        Assert.Equal("[redacted]", toolInput["headers"]!["Authorization"]!.GetValue<string>());
        Assert.Equal("[redacted]", toolInput["headers"]!["X-Api-Key"]!.GetValue<string>());
        Assert.Equal("[redacted]", toolInput["env"]![0]!["GITHUB_TOKEN"]!.GetValue<string>());
        Assert.Equal("[redacted]", toolInput["env"]![1]!["db_password"]!.GetValue<string>());
        Assert.Equal("[redacted]", toolInput["client_secret"]!.GetValue<string>());
        Assert.Equal(1000, toolInput["max_tokens"]!.GetValue<int>());
        Assert.True(toolInput["has_password"]!.GetValue<bool>());
        Assert.Equal("https://api", toolInput["url"]!.GetValue<string>());
        Assert.Equal("s", kept["session_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("curl -H 'Authorization: Bearer eyJhbGciOi.xyz' https://api.example.com", "curl -H 'Authorization: Bearer [redacted]' https://api.example.com")]
    [InlineData("curl -H \"authorization: Basic dXNlcjpwYXNz\" x", "curl -H \"authorization: Basic [redacted]\" x")]
    [InlineData("http GET api Bearer:skip bearer abcdef123456", "http GET api Bearer:skip bearer [redacted]")]
    [InlineData("export OPENAI_API_KEY=sk-live-1234 && run", "export OPENAI_API_KEY=[redacted] && run")]
    [InlineData("DB_PASSWORD='p a s s' ./migrate", "DB_PASSWORD=[redacted] ./migrate")]
    [InlineData("mysql --password hunter2 -u root", "mysql --password [redacted] -u root")]
    [InlineData("gh auth login --with-token=abc123", "gh auth login --with-token=[redacted]")]
    [InlineData("git clone https://me:ghsecret@github.com/x/y", "git clone https://me:[redacted]@github.com/x/y")]
    [InlineData("key sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAA end", "key [redacted] end")]
    [InlineData("AKIAABCDEFGHIJKLMNOP is the id", "[redacted] is the id")]
    [InlineData("token: abc", "token: [redacted]")]
    [InlineData("ls -la /home/dev && git status", "ls -la /home/dev && git status")]
    public void Secrets_in_text_are_redacted_and_the_rest_is_kept(string command, string expected)
    {
        var input = Parse("""{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{}}""");
        input["tool_input"]!["command"] = command;

        var kept = HookInputRedaction.Apply(input, "Bash", Large);

        Assert.Equal(expected, kept["tool_input"]!["command"]!.GetValue<string>());
    }

    [Fact]
    public void A_private_key_block_is_redacted_whole()
    {
        var text = "cat id\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\nAAAA\n-----END OPENSSH PRIVATE KEY-----\ndone";

        Assert.Equal("cat id\n[redacted]\ndone", HookInputRedaction.Text(text));
    }

    [Fact]
    public void File_contents_of_the_file_tools_are_never_kept_and_their_size_is_said()
    {
        var read = Fixture.Hook("post_tool_use_read");
        var content = read["tool_response"]!["file"]!["content"]!.GetValue<string>();

        var kept = HookInputRedaction.Apply(read, "Read", Large);

        Assert.Equal($"[file content omitted: {Encoding.UTF8.GetByteCount(content)} bytes]", kept["tool_response"]!["file"]!["content"]!.GetValue<string>());
        Assert.Equal(read["tool_response"]!["file"]!["filePath"]!.GetValue<string>(), kept["tool_response"]!["file"]!["filePath"]!.GetValue<string>());
        Assert.Equal(read["tool_input"]!.ToJsonString(), kept["tool_input"]!.ToJsonString());
        Assert.NotSame(read, kept);
        Assert.Equal(content, read["tool_response"]!["file"]!["content"]!.GetValue<string>()); // the input itself is untouched

        var bash = Parse("""{"hook_event_name":"PostToolUse","tool_name":"Bash","tool_response":{"content":"build ok"}}""");
        Assert.Equal("build ok", HookInputRedaction.Apply(bash, "Bash", Large)["tool_response"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public void A_long_string_is_cut_with_a_marker_saying_how_much_was_dropped()
    {
        var output = new string('é', HookInputRedaction.MaxStringChars + 100);
        var input = Parse("""{"hook_event_name":"PostToolUse","tool_name":"Bash","tool_response":{}}""");
        input["tool_response"]!["stdout"] = output;

        var kept = HookInputRedaction.Apply(input, "Bash", Large)["tool_response"]!["stdout"]!.GetValue<string>();

        Assert.Equal(new string('é', HookInputRedaction.MaxStringChars) + "…[truncated 200 bytes]", kept);
    }

    [Fact]
    public void An_input_over_the_size_limit_loses_its_largest_fields_first_and_keeps_what_identifies_it()
    {
        var input = Parse("""{"hook_event_name":"PostToolUse","session_id":"s1","tool_name":"Grep","tool_use_id":"t1","tool_input":{"pattern":"x"}}""");
        var matches = new JsonArray();
        for (var i = 0; i < 2000; i++) matches.Add($"/src/file{i}.cs:{i}: match");
        input["tool_response"] = new JsonObject { ["matches"] = matches };

        var kept = HookInputRedaction.Apply(input, "Grep", 10_000);

        Assert.True(Encoding.UTF8.GetByteCount(kept.ToJsonString()) <= 10_000);
        Assert.StartsWith("[omitted: ", kept["tool_response"]!.GetValue<string>());
        Assert.EndsWith(" bytes over websocket.max_payload]", kept["tool_response"]!.GetValue<string>());
        Assert.Equal("""{"pattern":"x"}""", kept["tool_input"]!.ToJsonString());
        Assert.Equal("s1", kept["session_id"]!.GetValue<string>());
        Assert.Equal("t1", kept["tool_use_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_mapper_applies_the_rule_to_claude_hook_and_to_error_texts()
    {
        var mapper = new ClaudeHookMapper(new TranscriptUsageReader());
        await mapper.MapAsync(Parse("""{"hook_event_name":"PreToolUse","session_id":"s","tool_name":"Write","tool_use_id":"w1","tool_input":{"file_path":"/app/.env","content":"API_KEY=abc\n"}}"""));

        var events = await mapper.MapAsync(Parse("""
            {"hook_event_name":"PostToolUse","session_id":"s","tool_name":"Write","tool_use_id":"w1",
             "tool_input":{"file_path":"/app/.env","content":"API_KEY=abc\n"},
             "tool_response":{"is_error":true,"error":"cannot write API_KEY=abc to /app/.env"}}
            """));

        var raw = events.Single(e => e.Name == "claude_hook").Data;
        Assert.Equal("[file content omitted: 12 bytes]", raw["tool_input"]!["content"]!.GetValue<string>());
        Assert.Equal("cannot write API_KEY=[redacted] to /app/.env", raw["tool_response"]!["error"]!.GetValue<string>());
        var file = events.Single(e => e.Name == "file_operation").Data;
        Assert.Equal(12, file["size"]!.GetValue<long>());
        Assert.Equal("cannot write API_KEY=[redacted] to /app/.env", file["error"]!.GetValue<string>());
        Assert.DoesNotContain("abc", string.Concat(events.Select(e => e.Data.ToJsonString())));
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
