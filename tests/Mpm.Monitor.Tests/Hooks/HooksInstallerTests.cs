using System.Text.Json.Nodes;
using Mpm.Monitor.Hooks;

namespace Mpm.Monitor.Tests.Hooks;

public sealed class HooksInstallerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 11, 15, 10, 30, 0, TimeSpan.Zero);
    private readonly TempHome _project = new();

    private string Settings => _project.Combine(".claude", "settings.json");

    [Fact]
    public void A_missing_settings_file_is_created_with_a_hook_for_every_event()
    {
        var result = HooksInstaller.Install(Settings, "mpm hook", Now);

        Assert.Equal(HooksInstaller.HookEvents, result.Added);
        Assert.Null(result.BackupPath);
        var hooks = Read()["hooks"]!.AsObject();
        Assert.Equal(HooksInstaller.HookEvents.Order(), hooks.Select(p => p.Key).Order());
        foreach (var (name, groups) in hooks)
        {
            var group = Assert.Single(groups!.AsArray())!.AsObject();
            Assert.Equal(name is "PreToolUse" or "PostToolUse" ? "*" : null, group["matcher"]?.GetValue<string>());
            var handler = Assert.Single(group["hooks"]!.AsArray())!;
            Assert.Equal("command", handler["type"]!.GetValue<string>());
            Assert.Equal("mpm hook", handler["command"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    [InlineData("{}")]
    public void An_empty_settings_file_gets_every_hook_and_a_backup(string content)
    {
        Write(content);

        var result = HooksInstaller.Install(Settings, "mpm hook", Now);

        Assert.Equal(9, result.Added.Count);
        Assert.Equal(Settings + ".bak-20251115T103000000Z", result.BackupPath);
        Assert.Equal(content, File.ReadAllText(result.BackupPath!));
    }

    [Fact]
    public void Other_settings_and_other_hooks_are_kept_and_a_second_run_changes_nothing()
    {
        const string original = """
            {
              "model": "opus",
              "permissions": { "allow": ["Bash(npm run test:*)"], "deny": [] },
              "hooks": {
                "PostToolUse": [ { "matcher": "Edit|Write", "hooks": [ { "type": "command", "command": "npx prettier --write", "timeout": 30 } ] } ],
                "Stop": [ { "hooks": [ { "type": "command", "command": "mpm hook" } ] } ]
              }
            }
            """;
        Write(original);

        var first = HooksInstaller.Install(Settings, "mpm hook", Now);

        Assert.DoesNotContain("Stop", first.Added); // already there
        Assert.Equal(8, first.Added.Count);
        var settings = Read();
        Assert.Equal("opus", settings["model"]!.GetValue<string>());
        Assert.Equal("Bash(npm run test:*)", settings["permissions"]!["allow"]![0]!.GetValue<string>());
        var post = settings["hooks"]!["PostToolUse"]!.AsArray();
        Assert.Equal(2, post.Count);
        Assert.Equal("npx prettier --write", post[0]!["hooks"]![0]!["command"]!.GetValue<string>());
        Assert.Equal(30, post[0]!["hooks"]![0]!["timeout"]!.GetValue<int>());
        Assert.Single(settings["hooks"]!["Stop"]!.AsArray());
        Assert.Equal(original, File.ReadAllText(first.BackupPath!));

        var written = File.ReadAllText(Settings);
        var second = HooksInstaller.Install(Settings, "mpm hook", Now.AddMinutes(1));

        Assert.Empty(second.Added);
        Assert.Null(second.BackupPath);
        Assert.Equal(written, File.ReadAllText(Settings));
        Assert.Single(Directory.EnumerateFiles(Path.GetDirectoryName(Settings)!, "settings.json.bak-*"));
    }

    [Fact]
    public void Comments_and_trailing_commas_are_tolerated_and_the_loss_of_comments_is_reported()
    {
        Write("""
            {
              // the model we use
              "model": "sonnet", /* trailing comma next */
            }
            """);

        var result = HooksInstaller.Install(Settings, "mpm hook", Now);

        Assert.True(result.CommentsDropped);
        Assert.Equal("sonnet", Read()["model"]!.GetValue<string>());
        Assert.Contains("// the model we use", File.ReadAllText(result.BackupPath!));
    }

    [Fact]
    public void Invalid_JSON_is_a_clear_error_naming_file_and_line_and_nothing_changes()
    {
        const string broken = "{\n  \"model\": \"opus\"\n  \"hooks\": {}\n}";
        Write(broken);

        var e = Assert.Throws<SettingsFileException>(() => HooksInstaller.Install(Settings, "mpm hook", Now));

        Assert.Contains(Settings, e.Message);
        Assert.Contains("line 3", e.Message);
        Assert.Contains("nothing was changed", e.Message);
        Assert.Equal(broken, File.ReadAllText(Settings));
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(Settings)!, "*.bak-*"));
    }

    [Theory]
    [InlineData("[1]", "must be a JSON object, found an array")]
    [InlineData("{\"hooks\":[]}", "\"hooks\" must be an object of hook events, found an array")]
    [InlineData("{\"hooks\":{\"Stop\":\"mpm hook\"}}", "\"hooks.Stop\" must be an array of matcher groups, found a string")]
    public void Settings_of_the_wrong_shape_are_refused_clearly(string content, string message)
    {
        Write(content);

        var e = Assert.Throws<SettingsFileException>(() => HooksInstaller.Install(Settings, "mpm hook", Now));

        Assert.Contains(message, e.Message);
        Assert.Equal(content, File.ReadAllText(Settings));
    }

    [Fact]
    public void The_command_line_entry_installs_reports_and_fails_with_exit_2_on_bad_input()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        Assert.Equal(0, HooksInstaller.Run(["--settings", Settings], stdout, stderr));
        Assert.Contains("Installed \"mpm hook\" for SessionStart, UserPromptSubmit", stdout.ToString());
        Assert.Equal(0, HooksInstaller.Run(["--settings", Settings], stdout, stderr));
        Assert.Contains("already installed for every hook event", stdout.ToString());
        Assert.Equal("", stderr.ToString());

        Assert.Equal(2, HooksInstaller.Run(["--bogus"], stdout, stderr));
        Assert.Contains("unknown argument \"--bogus\"", stderr.ToString());
        Assert.Equal(2, HooksInstaller.Run(["--settings"], stdout, stderr));
        Assert.Contains("--settings needs a value", stderr.ToString());
        File.WriteAllText(Settings, "{nope");
        Assert.Equal(2, HooksInstaller.Run(["--settings", Settings], stdout, stderr));
        Assert.Contains("is not valid JSON", stderr.ToString());
    }

    [Fact]
    public void Another_command_can_be_installed_beside_mpm_hook()
    {
        HooksInstaller.Install(Settings, "mpm hook", Now);

        var result = HooksInstaller.Install(Settings, "dotnet /opt/mpm/mpm.dll hook", Now.AddSeconds(1));

        Assert.Equal(9, result.Added.Count);
        Assert.Equal(2, Read()["hooks"]!["SessionEnd"]!.AsArray().Count);
    }

    private void Write(string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Settings)!);
        File.WriteAllText(Settings, content);
    }

    private JsonObject Read() => JsonNode.Parse(File.ReadAllText(Settings))!.AsObject();

    public void Dispose() => _project.Dispose();
}
