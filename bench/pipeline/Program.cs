// Ingest benchmark server. Usage:
//   PipelineBench pipeline DB_PATH   the real pipeline: validation, envelope, SQLite (WAL, group commit), projections
//   PipelineBench bare               the same Kestrel with an endpoint that parses the JSON body and stores nothing
//   PipelineBench nostore            the real pipeline and endpoint with a store that keeps nothing
//   PipelineBench drain              the same Kestrel with an endpoint that only reads the body
// Prints "listening URL" once ready; stop it with Ctrl-C.
using Mpm.Monitor.Core.Hosting;
using Mpm.Monitor.Http;

if (args is not (["pipeline", _] or ["nostore"] or ["bare"] or ["drain"]))
{
    Console.Error.WriteLine("usage: PipelineBench pipeline DB_PATH | PipelineBench nostore | PipelineBench bare | PipelineBench drain");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls(Environment.GetEnvironmentVariable("BENCH_URL") ?? "http://127.0.0.1:5099");
builder.Logging.ClearProviders();
if (args[0] is "pipeline" or "nostore")
{
    if (args[0] == "nostore")
    {
        builder.Services.AddSingleton<Mpm.Monitor.Core.Storage.IEventStore, NullEventStore>();
    }

    builder.Services.AddMonitorCore(o =>
    {
        o.StoragePath = args is [_, var path] ? path : ":memory:";
        o.HostLabel = "bench";
    });
}

var app = builder.Build();
if (args[0] is "pipeline" or "nostore")
{
    app.MapEventEndpoints();
}
else if (args[0] == "bare")
{
    byte[] answer = """{"accepted":100,"ids":[]}"""u8.ToArray();
    app.MapPost("/api/events", async (HttpContext context) =>
    {
        using var document = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    });
}
else
{
    byte[] answer = """{"accepted":100,"ids":[]}"""u8.ToArray();
    app.MapPost("/api/events", async (HttpContext context) =>
    {
        // Read the whole body without even parsing it: the ceiling of this Kestrel on this machine.
        var reader = context.Request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(context.RequestAborted);
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    });
}

await app.StartAsync();
Console.WriteLine("listening " + app.Urls.First());
await app.WaitForShutdownAsync();
return 0;
