using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Mpm.Monitor.Browser.Tests.Infrastructure;

/// <summary>
/// One test's browser context and page on the dashboard, collecting console errors, uncaught
/// page errors and the Socket.IO traffic.
/// </summary>
internal sealed class DashboardPage : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly Uri _url;

    private DashboardPage(IBrowserContext context, IPage page, Uri url)
    {
        Context = context;
        Page = page;
        _url = url;
        Traffic.Attach(page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Enqueue($"console.error: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => _errors.Enqueue($"page error: {error}");
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public SocketTraffic Traffic { get; } = new();

    /// <summary>Console errors and uncaught exceptions seen so far.</summary>
    public IReadOnlyList<string> Errors => _errors.ToArray();

    public static async Task<DashboardPage> OpenAsync(IBrowser browser, Uri url, DashboardPageOptions? options = null)
    {
        options ??= new DashboardPageOptions();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = options.Width, Height = options.Height },
            ColorScheme = options.Dark ? ColorScheme.Dark : ColorScheme.Light,
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        return new DashboardPage(context, page, url);
    }

    /// <summary>Opens the dashboard (optionally at a tab, e.g. "timeline").</summary>
    public async Task GotoAsync(string? tab = null)
    {
        await Page.GotoAsync(tab is null ? _url.ToString() : $"{_url}#{tab}");
    }

    public ILocator TestId(string id) => Page.GetByTestId(id);

    public Task ExpectConnectedAsync() =>
        Assertions.Expect(TestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");

    /// <summary>Selects a tab the way a user does, by clicking it.</summary>
    public async Task ShowTabAsync(string tab)
    {
        await TestId($"tab-{tab}").ClickAsync();
        await Assertions.Expect(TestId($"tab-{tab}")).ToHaveAttributeAsync("aria-selected", "true");
    }

    public ILocator TimelineRow(long id) => Page.Locator($"[data-testid=timeline-row][data-event-id='{id}']");

    /// <summary>Fails with every console error and page error seen, if any.</summary>
    public void AssertNoErrors()
    {
        var errors = Errors;
        Assert.True(errors.Count == 0, $"the page logged {errors.Count} error(s):\n{string.Join("\n", errors)}");
    }

    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(RepositoryPaths.Screenshots);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Screenshots, $"{name}.png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
    }
}

internal sealed record DashboardPageOptions
{
    public int Width { get; init; } = 1280;

    public int Height { get; init; } = 800;

    public bool Dark { get; init; }
}
