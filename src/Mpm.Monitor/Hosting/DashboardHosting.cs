using Microsoft.AspNetCore.SpaServices;
using Mpm.Monitor.Http;

namespace Mpm.Monitor.Hosting;

/// <summary>
/// Serves the built dashboard (web/dist, shipped as <c>dashboard/</c> beside mpm.dll) at <c>/</c>,
/// with index.html for any other page path so client-side routes work; in Development it proxies
/// to the Vite dev server instead. API paths never fall back to the page.
/// </summary>
internal static class DashboardHosting
{
    public const string ViteDevServer = "http://localhost:5173";
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "dashboard");

    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddSpaStaticFiles(options => options.RootPath = Root);
        return services;
    }

    public static void UseDashboard(this IApplicationBuilder app, IWebHostEnvironment environment)
    {
        var development = environment.IsDevelopment();
        app.MapWhen(IsPageRequest, dashboard =>
        {
            if (!development && !File.Exists(Path.Combine(Root, "index.html")))
            {
                dashboard.Run(context => ErrorResponses.Error(StatusCodes.Status503ServiceUnavailable, "dashboard_not_built",
                    $"the dashboard is not in {Root}: build src/Mpm.Monitor without -p:SkipWebBuild=true, or run `npm ci && npm run build` in web/")
                    .ExecuteAsync(context));
                return;
            }
            dashboard.UseSpaStaticFiles();
            dashboard.UseSpa(spa =>
            {
                spa.Options.DefaultPageStaticFileOptions = new StaticFileOptions { OnPrepareResponse = NoCache };
                if (development)
                {
                    spa.UseProxyToSpaDevelopmentServer(ViteDevServer);
                }
            });
        });
    }

    private static bool IsPageRequest(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        && !context.Request.Path.StartsWithSegments("/api")
        && !context.Request.Path.StartsWithSegments("/socket.io");

    // index.html names the hashed asset files of the current build: never let a browser keep an old one.
    private static void NoCache(Microsoft.AspNetCore.StaticFiles.StaticFileResponseContext context) =>
        context.Context.Response.Headers.CacheControl = "no-cache";
}
