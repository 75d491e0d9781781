// Usage: HookSink PORT — listens on 127.0.0.1:PORT and acknowledges every hook like the monitor's ingest would.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls($"http://127.0.0.1:{args[0]}");
builder.Logging.ClearProviders();
var app = builder.Build();
long next = 0;
app.MapPost("/api/hooks/claude", async (HttpRequest request) =>
{
    using var body = new MemoryStream();
    await request.Body.CopyToAsync(body);
    return Results.Json(new { accepted = 1, ids = new[] { Interlocked.Increment(ref next) } }, statusCode: 202);
});
app.Run();
