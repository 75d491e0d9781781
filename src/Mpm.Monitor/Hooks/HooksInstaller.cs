using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mpm.Monitor.Hooks;

/// <summary>
/// <c>mpm hooks install [--settings PATH] [--command CMD]</c>: adds a command hook running
/// <c>mpm hook</c> for every Claude Code hook event to a settings file (default
/// <c>./.claude/settings.json</c>), keeping everything else in it.
/// </summary>
/// <remarks>
/// Claude Code's schema: <c>{"hooks":{"EVENT":[{"matcher":"...","hooks":[{"type":"command","command":"..."}]}]}}</c>.
/// Only the tool events (PreToolUse, PostToolUse) match on a tool name, so they get <c>"matcher":"*"</c>;
/// the others get no matcher, which matches every occurrence. Idempotent: an event that already runs
/// the command is left alone, so a second run changes nothing and writes nothing. Before the file
/// is rewritten it is copied to <c>settings.json.bak-{UTC time}</c>; the new content is written to a
/// temporary file and renamed over the old one. Comments and trailing commas are accepted on read,
/// but comments cannot be written back: the output says so, and the backup keeps them.
/// </remarks>
public static class HooksInstaller
{
    /// <summary>The hook events the monitor maps (CONTRACT §5), in Claude Code's lifecycle order.</summary>
    public static IReadOnlyList<string> HookEvents { get; } =
        ["SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Notification", "Stop", "SubagentStop", "PreCompact", "SessionEnd"];

    internal const string DefaultCommand = "mpm hook";
    private static readonly HashSet<string> ToolEvents = new(StringComparer.Ordinal) { "PreToolUse", "PostToolUse" };

    /// <summary>Entry point; <paramref name="args"/> are those after <c>hooks install</c>. Exit 0 done, 2 bad arguments or settings file, 1 I/O failure.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var settings = Path.Combine(".claude", "settings.json");
        var command = DefaultCommand;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--settings" when i + 1 < args.Length: settings = args[++i]; break;
                case "--command" when i + 1 < args.Length: command = args[++i]; break;
                case "--settings" or "--command":
                    stderr.WriteLine($"mpm hooks install: option {args[i]} needs a value");
                    return 2;
                default:
                    stderr.WriteLine($"mpm hooks install: unknown argument \"{args[i]}\" (usage: mpm hooks install [--settings PATH] [--command CMD])");
                    return 2;
            }
        }
        if (string.IsNullOrWhiteSpace(command))
        {
            stderr.WriteLine("mpm hooks install: --command must not be empty");
            return 2;
        }

        try
        {
            var result = Install(settings, command, DateTimeOffset.UtcNow);
            if (result.Added.Count == 0)
            {
                stdout.WriteLine($"\"{command}\" is already installed for every hook event in {result.SettingsPath}");
                return 0;
            }
            stdout.WriteLine($"Installed \"{command}\" for {string.Join(", ", result.Added)} in {result.SettingsPath}");
            if (result.BackupPath is not null) stdout.WriteLine($"Previous settings saved as {result.BackupPath}");
            if (result.CommentsDropped) stdout.WriteLine("Note: the comments in the settings file could not be kept; they are in the backup.");
            return 0;
        }
        catch (SettingsFileException e)
        {
            stderr.WriteLine($"mpm hooks install: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"mpm hooks install: {e.Message}");
            return 1;
        }
    }

    internal static InstallResult Install(string settingsPath, string command, DateTimeOffset now)
    {
        var path = Path.GetFullPath(settingsPath);
        var exists = File.Exists(path);
        var text = exists ? File.ReadAllText(path, Encoding.UTF8) : "";
        var (root, commentsDropped) = Parse(path, text);

        var hooks = root["hooks"] switch
        {
            null => (JsonObject)(root["hooks"] = new JsonObject()),
            JsonObject o => o,
            _ => throw new SettingsFileException($"{path}: \"hooks\" must be an object of hook events, found {Kind(root["hooks"])}"),
        };

        var added = new List<string>();
        foreach (var hookEvent in HookEvents)
        {
            var groups = hooks[hookEvent] switch
            {
                null => (JsonArray)(hooks[hookEvent] = new JsonArray()),
                JsonArray a => a,
                var other => throw new SettingsFileException($"{path}: \"hooks.{hookEvent}\" must be an array of matcher groups, found {Kind(other)}"),
            };
            if (RunsCommand(groups, command)) continue;
            var group = new JsonObject();
            if (ToolEvents.Contains(hookEvent)) group["matcher"] = "*";
            group["hooks"] = new JsonArray(new JsonObject { ["type"] = "command", ["command"] = command });
            groups.Add(group);
            added.Add(hookEvent);
        }
        if (added.Count == 0) return new InstallResult(path, added, null, commentsDropped);

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string? backup = null;
        if (exists)
        {
            backup = $"{path}.bak-{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}";
            File.Copy(path, backup, overwrite: false);
        }
        var temp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temp, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
        return new InstallResult(path, added, backup, commentsDropped);
    }

    private static (JsonObject Root, bool CommentsDropped) Parse(string path, string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (new JsonObject(), false);
        var lenient = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: lenient);
        }
        catch (JsonException e)
        {
            throw new SettingsFileException(
                $"{path} is not valid JSON (line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}): {FirstSentence(e.Message)} — fix it or pass another file with --settings; nothing was changed");
        }
        if (node is not JsonObject root)
            throw new SettingsFileException($"{path}: the settings must be a JSON object, found {Kind(node)}; nothing was changed");
        var commentsDropped = false;
        try
        {
            using var _ = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException)
        {
            commentsDropped = true;
        }
        return (root, commentsDropped);
    }

    private static bool RunsCommand(JsonArray groups, string command)
    {
        foreach (var group in groups)
            if (group is JsonObject g && g["hooks"] is JsonArray handlers)
                foreach (var handler in handlers)
                    if (handler is JsonObject h && h["command"] is JsonValue c && c.TryGetValue<string>(out var text)
                        && string.Equals(text.Trim(), command.Trim(), StringComparison.Ordinal))
                        return true;
        return false;
    }

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        JsonObject => "an object",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            _ => "a boolean",
        },
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}

/// <summary>What <see cref="HooksInstaller.Install"/> changed.</summary>
internal sealed record InstallResult(string SettingsPath, IReadOnlyList<string> Added, string? BackupPath, bool CommentsDropped);

/// <summary>The settings file cannot be merged into; the message names the file and the problem.</summary>
internal sealed class SettingsFileException(string message) : Exception(message);
