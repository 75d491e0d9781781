using System.Text.Json.Nodes;

namespace Mpm.Monitor.Core.Tests.Claude;

/// <summary>Hook inputs and transcripts under Claude/Fixtures, written from Claude Code's documented hook input schema.</summary>
internal static class Fixture
{
    internal static string Directory => Path.Combine(AppContext.BaseDirectory, "Claude", "Fixtures");

    internal static string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>A hook input, with its transcript_path pointed at <paramref name="transcript"/> when given.</summary>
    internal static JsonObject Hook(string name, string? transcript = null)
    {
        var path = PathOf(name + ".json");
        Assert.True(File.Exists(path), $"fixture {path} is missing (is Claude/Fixtures copied to the output?)");
        var hook = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        if (transcript is not null && hook.ContainsKey("transcript_path")) hook["transcript_path"] = transcript;
        return hook;
    }
}

/// <summary>A directory under the temp folder removed when the test ends.</summary>
internal sealed class TempDirectory : IDisposable
{
    internal TempDirectory() => System.IO.Directory.CreateDirectory(Path);

    internal string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mpm-claude-" + Guid.NewGuid().ToString("N"));

    internal string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* best effort: the temp folder is cleaned by the OS eventually */ }
    }
}
