using System.ComponentModel;
using System.Diagnostics;

namespace Mpm.Monitor.Hosting;

/// <summary><c>--open</c>: hands the dashboard URL to xdg-open. A machine without one is not an error.</summary>
internal static partial class BrowserLauncher
{
    public static void Open(Uri url, ILogger logger)
    {
        try
        {
            var start = new ProcessStartInfo("xdg-open") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(url.ToString());
            using var process = Process.Start(start);
        }
        catch (Win32Exception e)
        {
            CannotOpen(logger, url, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot open a browser (xdg-open: {Reason}); open {Url} yourself")]
    private static partial void CannotOpen(ILogger logger, Uri url, string reason);
}
