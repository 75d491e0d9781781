namespace Mpm.Monitor.Tests.Hooks;

/// <summary>A throw-away directory (a home, a project) removed when the test ends.</summary>
internal sealed class TempHome : IDisposable
{
    internal TempHome() => Directory.CreateDirectory(Path);

    internal string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mpm-hooks-" + Guid.NewGuid().ToString("N"));

    internal string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* best effort */ }
    }
}
