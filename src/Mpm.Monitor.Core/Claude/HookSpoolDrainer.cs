using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Mpm.Monitor.Core.Claude;

/// <summary>
/// Delivers spooled hook inputs to the monitor in spool order and removes each once delivered.
/// </summary>
/// <remarks>
/// Why each input takes effect exactly once, even if the monitor is killed mid-drain:
/// <list type="number">
/// <item>Only one drainer works on a spool at a time: it holds an exclusive lock on
/// <c>.drain.lock</c>, which the OS releases when the process dies, so a crash never leaves it stuck.</item>
/// <item>A file is renamed <c>{id}.json → {id}.inflight</c> before delivery and deleted only after
/// <c>deliver</c> completed (i.e. the store acknowledged it). A crash anywhere before the delete
/// leaves the file (as .json or .inflight), so nothing is lost: at least once.</item>
/// <item>The next drain delivers leftover <c>.inflight</c> files again, with the same spool id, in id
/// order together with the queued ones (an inflight file is never newer than a queued one).
/// <c>deliver</c> must be idempotent per spool id — the store records the spool ids it has
/// stored in the same transaction as their events and acknowledges a known id without storing
/// it again — so the redelivery after a crash between store and delete stores nothing twice: exactly once.</item>
/// </list>
/// A file that is not a JSON object, or that <c>deliver</c> refuses with <see cref="HookInputRejectedException"/>
/// (it can never be stored as it is), is moved to <c>rejected/</c> and logged rather than retried forever.
/// Half-written <c>.tmp</c> files older than <see cref="StaleTempAge"/> (a forwarder killed mid-write) are removed.
/// </remarks>
public sealed partial class HookSpoolDrainer(HookSpool spool, ILogger<HookSpoolDrainer> logger)
{
    internal static readonly TimeSpan StaleTempAge = TimeSpan.FromMinutes(10);
    private const string LockFileName = ".drain.lock";
    private const string RejectedDirectory = "rejected";

    /// <summary>
    /// Delivers every spooled input, oldest first, including those spooled while draining.
    /// Returns how many were delivered; 0 when another drainer holds the spool.
    /// When <paramref name="deliver"/> throws, the drain stops there (that input stays for the next drain)
    /// and the exception propagates.
    /// </summary>
    /// <param name="deliver">stores one input durably; must be idempotent for the same <see cref="SpooledHook.SpoolId"/>.</param>
    public async Task<int> DrainAsync(Func<SpooledHook, CancellationToken, Task> deliver, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        if (!Directory.Exists(spool.Directory)) return 0;
        using var drainLock = TryLock();
        if (drainLock is null)
        {
            LogBusy(spool.Directory);
            return 0;
        }
        RemoveStaleTempFiles();
        var delivered = 0;
        while (true)
        {
            var batch = Pending();
            if (batch.Count == 0) return delivered;
            foreach (var (id, path) in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var inflight = Path.Combine(spool.Directory, id + HookSpool.InflightExtension);
                if (path != inflight)
                {
                    try { File.Move(path, inflight); }
                    catch (FileNotFoundException) { continue; }
                }
                var hook = Read(id, inflight);
                if (hook is null) continue;
                try
                {
                    await deliver(hook, cancellationToken).ConfigureAwait(false);
                }
                catch (HookInputRejectedException e)
                {
                    Reject(id, inflight, e.Message);
                    continue;
                }

                File.Delete(inflight);
                delivered++;
            }
        }
    }

    /// <summary>How many inputs wait in the spool (queued or in flight).</summary>
    public int Count() => Directory.Exists(spool.Directory) ? Pending().Count : 0;

    private List<(string Id, string Path)> Pending()
    {
        var files = new List<(string Id, string Path)>();
        foreach (var path in Directory.EnumerateFiles(spool.Directory))
        {
            var name = Path.GetFileName(path);
            var extension = Path.GetExtension(name);
            if (extension is not (HookSpool.QueuedExtension or HookSpool.InflightExtension)) continue;
            var id = Path.GetFileNameWithoutExtension(name);
            if (HookSpool.IsValidId(id)) files.Add((id, path));
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return files;
    }

    private SpooledHook? Read(string id, string path)
    {
        string reason;
        try
        {
            if (JsonNode.Parse(File.ReadAllBytes(path)) is JsonObject input)
            {
                HookSpool.TryGetTime(id, out var at);
                return new SpooledHook(id, at, input);
            }
            reason = "not a JSON object";
        }
        catch (JsonException e)
        {
            reason = e.Message;
        }
        Reject(id, path, reason);
        return null;
    }

    private void Reject(string id, string path, string reason)
    {
        var rejected = Path.Combine(spool.Directory, RejectedDirectory);
        Directory.CreateDirectory(rejected);
        File.Move(path, Path.Combine(rejected, id + HookSpool.QueuedExtension), overwrite: true);
        LogRejected(id, reason, rejected);
    }

    private FileStream? TryLock()
    {
        try
        {
            return new FileStream(Path.Combine(spool.Directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private void RemoveStaleTempFiles()
    {
        var cutoff = DateTime.UtcNow - StaleTempAge;
        foreach (var path in Directory.EnumerateFiles(spool.Directory, "*" + HookSpool.TempExtension))
            if (File.GetLastWriteTimeUtc(path) < cutoff)
                File.Delete(path);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Spool {Directory} is being drained by another process; skipping")]
    private partial void LogBusy(string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spooled hook {SpoolId} cannot be delivered ({Reason}); moved to {RejectedDirectory}")]
    private partial void LogRejected(string spoolId, string reason, string rejectedDirectory);
}
