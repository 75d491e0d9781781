using Microsoft.Playwright;

namespace Mpm.Monitor.Browser.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by the Playwright driver bundled in the NuGet package (browser
/// downloads do not work here, so never <c>playwright install</c>). Launch gives each browser a
/// fresh temporary profile, and each test its own context on top of it.
/// </summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>The flags of DESIGN.md; <c>--headless</c> comes from <see cref="BrowserTypeLaunchOptions.Headless"/>.</summary>
    private static readonly string[] Flags =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ];

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Chromium: apt-get install -y chromium");
        }
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Flags,
                // A loaded 2-core machine can take a while to start a browser.
                Timeout = 90_000,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
