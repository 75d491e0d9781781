using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Mpm.Monitor.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Mpm.Monitor.Browser.Tests.Infrastructure.DashboardFixture;

namespace Mpm.Monitor.Browser.Tests;

/// <summary>
/// The dashboard in Chromium against the real monitor: what is posted over HTTP shows in every
/// view, state survives a reload, and the controls (filters, subscription picker, pause, export) work.
/// </summary>
public sealed class DashboardTests(DashboardFixture monitor) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task Loads_at_the_printed_url_connected_without_console_errors()
    {
        await using var dashboard = await monitor.OpenPageAsync();
        await dashboard.GotoAsync();

        await dashboard.ExpectConnectedAsync();
        await ExpectSnapshotAppliedAsync(dashboard);
        await Expect(dashboard.TestId("server-health")).ToContainTextAsync("storage healthy");
        await Expect(dashboard.TestId("notice")).ToBeHiddenAsync();
        dashboard.AssertNoErrors();
    }

    [Fact]
    public async Task Posted_events_appear_in_every_view()
    {
        await using var dashboard = await OpenConnectedAsync();
        var agent = Unique("agent");
        var session = Unique("session");
        var file = $"/src/{Unique("file")}.cs";
        var custom = Unique("deploy");
        var container = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var containerName = Unique("web");
        var nic = Unique("eth");

        var ids = await monitor.PostAsync(
            SampleEvents.AgentActivity(agent, "invoked", session, description: "write the parser"),
            SampleEvents.FileOperation(file, "write", agent, session, size: 2048),
            SampleEvents.SessionUpdate(session, 45_000, 0.225),
            SampleEvents.Custom(custom, "shipped"),
            SampleEvents.ContainerStats(container, containerName),
            SampleEvents.ContainerEvent(container, containerName, "start"),
            SampleEvents.SystemStats(nic));

        await dashboard.ShowTabAsync("timeline");
        string[] types = ["agent_activity", "file_operation", "session_update", custom, "container_stats", "container_event", "system_stats"];
        for (var i = 0; i < ids.Length; i++)
        {
            await Expect(dashboard.TimelineRow(ids[i])).ToHaveAttributeAsync("data-event-type", types[i]);
        }

        await dashboard.ShowTabAsync("agents");
        var agentRow = dashboard.Page.Locator($"[data-testid=agent-row][data-agent='{agent}']");
        await Expect(agentRow).ToHaveAttributeAsync("data-status", "active");
        await Expect(agentRow).ToContainTextAsync("write the parser");

        await dashboard.ShowTabAsync("sessions");
        var sessionRow = dashboard.Page.Locator($"[data-testid=session-row][data-session-id='{session}']");
        await Expect(sessionRow.GetByTestId("context-gauge")).ToHaveAttributeAsync("data-value", "0.225");
        await Expect(sessionRow.GetByTestId("context-gauge")).ToHaveAttributeAsync("data-level", "ok");
        await Expect(sessionRow).ToContainTextAsync("claude-sonnet-4-5");
        await Expect(sessionRow).ToContainTextAsync(agent);

        await dashboard.ShowTabAsync("files");
        var fileRow = dashboard.Page.Locator($"[data-testid=file-row][data-file='{file}']");
        await Expect(fileRow).ToHaveAttributeAsync("data-operation", "write");
        await Expect(fileRow).ToContainTextAsync(agent);

        await dashboard.ShowTabAsync("containers");
        var containerRow = dashboard.Page.Locator($"[data-testid=container-row][data-container-id='{container}']");
        await Expect(containerRow).ToHaveAttributeAsync("data-present", "true");
        await Expect(containerRow).ToContainTextAsync(containerName);
        await Expect(containerRow).ToContainTextAsync("512");
        await Expect(containerRow.Locator("[data-testid=container-lifecycle] li[data-action=start]")).ToHaveCountAsync(1);

        // The host view is fed by the monitor's own sampler (every 2 s here) as well as what was posted.
        await dashboard.ShowTabAsync("host");
        foreach (var tile in new[] { "host-cpu-value", "host-memory-value", "host-disk-value", "host-load-value" })
        {
            await Expect(dashboard.TestId(tile)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"\d"));
        }
        await Expect(dashboard.Page.Locator("[data-testid=host-interfaces] li[data-interface]").First).ToBeVisibleAsync();

        dashboard.AssertNoErrors();
    }

    [Fact]
    public async Task A_reload_restores_the_state_with_events_posted_while_the_page_was_closed()
    {
        await using var dashboard = await OpenConnectedAsync();
        var tag = Unique("reload");
        var before = await monitor.PostOneAsync("agent_activity", new { agent = $"{tag}-first", action = "invoked", description = tag });
        await dashboard.ShowTabAsync("timeline");
        await Expect(dashboard.TimelineRow(before)).ToBeVisibleAsync();

        // Leaving the page closes its connection; what happens meanwhile must be there on return.
        await dashboard.Page.GotoAsync("about:blank");
        var session = $"{tag}-session";
        var whileAway = await monitor.PostAsync(
            SampleEvents.AgentActivity($"{tag}-second", "invoked", session, description: tag),
            SampleEvents.FileOperation($"/src/{tag}.ts", "edit", $"{tag}-second", session),
            SampleEvents.SessionUpdate(session, 170_000, 0.85));

        await dashboard.GotoAsync("timeline");
        await dashboard.ExpectConnectedAsync();
        await dashboard.TestId("filter-text").FillAsync(tag);
        foreach (var id in whileAway.Prepend(before))
        {
            await Expect(dashboard.TimelineRow(id)).ToBeVisibleAsync();
        }

        await dashboard.ShowTabAsync("agents");
        await Expect(dashboard.Page.Locator($"[data-testid=agent-row][data-agent='{tag}-first']")).ToHaveCountAsync(1);
        await Expect(dashboard.Page.Locator($"[data-testid=agent-row][data-agent='{tag}-second']")).ToHaveAttributeAsync("data-status", "active");
        await dashboard.ShowTabAsync("sessions");
        var gauge = dashboard.Page.Locator($"[data-testid=session-row][data-session-id='{session}'] [data-testid=context-gauge]");
        await Expect(gauge).ToHaveAttributeAsync("data-value", "0.85");
        await Expect(gauge).ToHaveAttributeAsync("data-level", "critical");
        await dashboard.ShowTabAsync("files");
        await Expect(dashboard.Page.Locator($"[data-testid=file-row][data-file='/src/{tag}.ts']")).ToHaveAttributeAsync("data-operation", "edit");
        dashboard.AssertNoErrors();
    }

    [Fact]
    public async Task The_type_and_text_filters_narrow_the_timeline()
    {
        await using var dashboard = await OpenConnectedAsync();
        var tag = Unique("filter");
        var ids = await monitor.PostAsync(
            SampleEvents.AgentActivity($"{tag}-agent", "invoked", description: tag),
            SampleEvents.FileOperation($"/src/{tag}.py", "read", $"{tag}-agent"),
            SampleEvents.Custom($"{tag}-custom", $"{tag} needle"));
        await dashboard.ShowTabAsync("timeline");
        foreach (var id in ids)
        {
            await Expect(dashboard.TimelineRow(id)).ToBeVisibleAsync();
        }

        await dashboard.TestId("filter-type").SelectOptionAsync("file_operation");
        await Expect(dashboard.TimelineRow(ids[1])).ToBeVisibleAsync();
        await Expect(dashboard.TimelineRow(ids[0])).ToHaveCountAsync(0);
        await Expect(dashboard.TimelineRow(ids[2])).ToHaveCountAsync(0);
        await Expect(dashboard.Page.Locator("[data-testid=timeline-row]:not([data-event-type=file_operation])")).ToHaveCountAsync(0);

        await dashboard.TestId("filter-type").SelectOptionAsync("");
        await dashboard.TestId("filter-text").FillAsync(tag);
        await Expect(dashboard.Page.GetByTestId("timeline-row")).ToHaveCountAsync(3);

        await dashboard.TestId("filter-text").FillAsync($"{tag} needle");
        await Expect(dashboard.Page.GetByTestId("timeline-row")).ToHaveCountAsync(1);
        await Expect(dashboard.TimelineRow(ids[2])).ToBeVisibleAsync();

        await dashboard.TestId("filter-text").FillAsync($"{tag}-nothing-matches");
        await Expect(dashboard.TestId("timeline-no-match")).ToBeVisibleAsync();
        dashboard.AssertNoErrors();
    }

    [Fact]
    public async Task The_subscription_picker_stops_the_server_sending_unchecked_types()
    {
        await using var dashboard = await OpenConnectedAsync();
        await dashboard.Page.Locator("[data-testid=subscription-picker] summary").ClickAsync();
        await dashboard.Page.Locator("[data-testid=subscription-option][data-event-type=file_operation]").UncheckAsync();
        await Expect(dashboard.TestId("subscription-server")).ToContainTextAsync("except file_operation");
        Assert.Contains(dashboard.Traffic.Sent, frame => frame.Contains("\"unsubscribe\"") && frame.Contains("file_operation"));

        var tag = Unique("subscription");
        var ids = await monitor.PostAsync(
            SampleEvents.FileOperation($"/src/{tag}.go", "write", $"{tag}-agent"),
            SampleEvents.Custom($"{tag}-custom", tag),
            SampleEvents.AgentActivity($"{tag}-agent", "invoked", description: tag));
        await dashboard.ShowTabAsync("timeline");
        // Broadcasts reach a connection in id order: once the last event is shown, the first was sent or never will be.
        await Expect(dashboard.TimelineRow(ids[2])).ToBeVisibleAsync();
        await Expect(dashboard.TimelineRow(ids[1])).ToBeVisibleAsync();
        await Expect(dashboard.TimelineRow(ids[0])).ToHaveCountAsync(0);
        var received = await dashboard.Traffic.ReceivedAsync();
        Assert.Contains(received, frame => frame.Contains($"{tag}-custom"));
        Assert.DoesNotContain(received, frame => frame.Contains($"/src/{tag}.go"));

        // Checking it again brings file operations back.
        await dashboard.Page.Locator("[data-testid=subscription-picker] summary").ClickAsync();
        await dashboard.Page.Locator("[data-testid=subscription-option][data-event-type=file_operation]").CheckAsync();
        await Expect(dashboard.TestId("subscription-server")).ToContainTextAsync("Server sends: all events");
        var again = await monitor.PostOneAsync("file_operation", new { file = $"/src/{tag}-again.go", operation = "write" });
        await Expect(dashboard.TimelineRow(again)).ToHaveAttributeAsync("data-event-type", "file_operation");
        dashboard.AssertNoErrors();
    }

    [Fact]
    public async Task Pause_holds_new_events_back_and_resume_shows_them()
    {
        await using var dashboard = await OpenConnectedAsync("timeline");
        var pause = dashboard.TestId("pause-button");
        await pause.ClickAsync();
        await Expect(pause).ToHaveAttributeAsync("data-paused", "true");

        var agent = Unique("paused");
        var id = await monitor.PostOneAsync("agent_activity", new { agent, action = "invoked" });
        await ExpectReceivedAsync(dashboard, agent);
        await Expect(dashboard.TestId("buffered-count")).ToBeVisibleAsync();
        await Expect(dashboard.TestId("buffered-count")).Not.ToHaveAttributeAsync("data-count", "0");
        await Expect(dashboard.TimelineRow(id)).ToHaveCountAsync(0);

        await pause.ClickAsync();
        await Expect(pause).ToHaveAttributeAsync("data-paused", "false");
        await Expect(dashboard.TimelineRow(id)).ToBeVisibleAsync();
        dashboard.AssertNoErrors();
    }

    [Fact]
    public async Task Export_downloads_the_visible_events_as_json()
    {
        await using var dashboard = await OpenConnectedAsync("timeline");
        var tag = Unique("export");
        var ids = await monitor.PostAsync(
            SampleEvents.AgentActivity($"{tag}-agent", "invoked", description: tag),
            SampleEvents.FileOperation($"/src/{tag}.rs", "create", $"{tag}-agent"),
            SampleEvents.Custom($"{tag}-custom", tag));
        await dashboard.TestId("filter-text").FillAsync(tag);
        await Expect(dashboard.Page.GetByTestId("timeline-row")).ToHaveCountAsync(3);

        var download = await dashboard.Page.RunAndWaitForDownloadAsync(() => dashboard.TestId("export-button").ClickAsync());
        Assert.Matches(@"^mpm-events-.+\.json$", download.SuggestedFilename);
        var path = await download.PathAsync();
        var exported = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsArray();
        Assert.Equal(ids, exported.Select(e => e!["id"]!.GetValue<long>()));
        Assert.Equal("file_operation", exported[1]!["type"]!.GetValue<string>());
        Assert.Equal($"/src/{tag}.rs", exported[1]!["file"]!.GetValue<string>());
        dashboard.AssertNoErrors();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_narrow_window_has_no_horizontal_overflow(bool dark)
    {
        await PostOneOfEachAsync("narrow");
        await using var dashboard = await OpenConnectedAsync(options: new DashboardPageOptions { Width = 420, Height = 800, Dark = dark });
        foreach (var tab in Tabs)
        {
            await dashboard.ShowTabAsync(tab);
            await Expect(dashboard.TestId($"view-{(tab == "overview" ? "timeline" : tab)}")).ToBeVisibleAsync();
            var (scrollWidth, clientWidth) = await PageWidthAsync(dashboard.Page);
            Assert.True(scrollWidth <= clientWidth, $"{tab} at 420 px: the page is {scrollWidth} px wide in a {clientWidth} px window");
            await dashboard.ScreenshotAsync($"narrow-{(dark ? "dark" : "light")}-{tab}");
        }
        dashboard.AssertNoErrors();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Screenshots_of_every_view_at_1280x800(bool dark)
    {
        await PostOneOfEachAsync("screenshot");
        await using var dashboard = await OpenConnectedAsync(options: new DashboardPageOptions { Dark = dark });
        await Expect(dashboard.Page.GetByTestId("agent-row").First).ToBeVisibleAsync();
        foreach (var tab in Tabs)
        {
            await dashboard.ShowTabAsync(tab);
            var (scrollWidth, clientWidth) = await PageWidthAsync(dashboard.Page);
            Assert.True(scrollWidth <= clientWidth, $"{tab} at 1280 px: the page is {scrollWidth} px wide in a {clientWidth} px window");
            await dashboard.ScreenshotAsync($"wide-{(dark ? "dark" : "light")}-{tab}");
        }
        dashboard.AssertNoErrors();
    }

    private static readonly string[] Tabs = ["overview", "timeline", "agents", "sessions", "files", "containers", "host"];

    private async Task<DashboardPage> OpenConnectedAsync(string? tab = null, DashboardPageOptions? options = null)
    {
        var dashboard = await monitor.OpenPageAsync(options);
        try
        {
            await dashboard.GotoAsync(tab);
            await dashboard.ExpectConnectedAsync();
            await ExpectSnapshotAppliedAsync(dashboard);
            return dashboard;
        }
        catch
        {
            await dashboard.DisposeAsync();
            throw;
        }
    }

    /// <summary>The get_state reply names the server; live events flow once it is applied.</summary>
    private static Task ExpectSnapshotAppliedAsync(DashboardPage dashboard) =>
        Expect(dashboard.TestId("server-info")).Not.ToBeEmptyAsync();

    private static async Task ExpectReceivedAsync(DashboardPage dashboard, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!(await dashboard.Traffic.ReceivedAsync()).Any(frame => frame.Contains(text)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the page did not receive an event containing '{text}' within 30 s");
            await Task.Delay(50);
        }
    }

    private async Task PostOneOfEachAsync(string prefix)
    {
        var agent = Unique($"{prefix}-agent");
        var session = Unique($"{prefix}-session");
        var container = Unique($"{prefix}-container");
        await monitor.PostAsync(
            SampleEvents.AgentActivity(agent, "invoked", session, description: "refactor the session store"),
            SampleEvents.AgentActivity("pm", "prompt", session, description: "add a retry to the uploader"),
            SampleEvents.FileOperation($"/home/dev/project/src/{prefix}/store.cs", "edit", agent, session, size: 18_432),
            SampleEvents.FileOperation($"/home/dev/project/src/{prefix}/uploader.cs", "read", agent, session, size: 5_120),
            SampleEvents.SessionUpdate(session, 112_000, 0.56),
            SampleEvents.Custom(Unique("deploy"), "shipped build 42"),
            SampleEvents.ContainerStats(container, $"{prefix}-web"),
            SampleEvents.ContainerEvent(container, $"{prefix}-web", "start"));
    }

    private static async Task<(int ScrollWidth, int ClientWidth)> PageWidthAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        return (widths[0], widths[1]);
    }
}
