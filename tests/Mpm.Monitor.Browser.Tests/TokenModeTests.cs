using Mpm.Monitor.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Mpm.Monitor.Browser.Tests;

/// <summary>A monitor with <c>auth.token</c>: the page asks for the token once and keeps it.</summary>
public sealed class TokenModeFixture : DashboardFixture
{
    public override string? Token { get; } = $"browser-{Guid.NewGuid():N}";

    protected override string ConfigYaml => BaseConfigYaml.Replace(
        "monitoring:\n", $"monitoring:\n  auth:\n    token: \"{Token}\"\n", StringComparison.Ordinal);
}

public sealed class TokenModeTests(TokenModeFixture monitor) : IClassFixture<TokenModeFixture>
{
    [Fact]
    public async Task The_page_asks_for_the_token_once_then_connects_and_a_reload_does_not_ask_again()
    {
        await using var dashboard = await monitor.OpenPageAsync();
        await dashboard.GotoAsync("timeline");
        var dialog = dashboard.TestId("token-dialog");
        await Expect(dialog).ToBeVisibleAsync();

        // A wrong token is refused and the page asks again, saying so.
        await dashboard.TestId("token-input").FillAsync("not-the-token");
        await dashboard.TestId("token-submit").ClickAsync();
        await Expect(dashboard.TestId("token-message")).ToContainTextAsync("refused");
        await Expect(dialog).ToBeVisibleAsync();

        await dashboard.TestId("token-input").FillAsync(monitor.Token!);
        await dashboard.TestId("token-submit").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await dashboard.ExpectConnectedAsync();
        await Expect(dashboard.TestId("server-info")).Not.ToBeEmptyAsync();
        // Until the right token was given, the monitor answered 401, which Chromium logs as a failed load.
        var beforeToken = dashboard.Errors.Count;

        var agent = DashboardFixture.Unique("secure");
        var id = await monitor.PostOneAsync("agent_activity", new { agent, action = "invoked" });
        await Expect(dashboard.TimelineRow(id)).ToBeVisibleAsync();
        await Expect(dashboard.TestId("server-health")).ToContainTextAsync("storage healthy");
        Assert.Equal(monitor.Token, await dashboard.Page.EvaluateAsync<string>("() => localStorage.getItem('mpm.monitor.token')"));

        await dashboard.Page.ReloadAsync();
        await dashboard.ExpectConnectedAsync();
        await Expect(dashboard.TimelineRow(id)).ToBeVisibleAsync();
        // The dialog cannot be dismissed without a token: hidden now means it never opened.
        await Expect(dialog).ToBeHiddenAsync();

        var errors = dashboard.Errors;
        Assert.All(errors.Take(beforeToken), e => Assert.Contains("401", e));
        Assert.True(errors.Count == beforeToken, $"errors after the token was given:\n{string.Join("\n", errors.Skip(beforeToken))}");
    }
}
