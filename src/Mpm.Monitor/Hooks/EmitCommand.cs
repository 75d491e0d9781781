using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mpm.Monitor.Hooks;

/// <summary>
/// <c>mpm emit NAME [--data JSON | --data-file FILE]</c>: publishes one custom event to the running
/// monitor (<c>POST /api/events</c>) and prints its stored id. Exit 0 stored, 2 bad name, bad JSON or
/// bad arguments, 1 no monitor answers or it refused the event.
/// </summary>
public static partial class EmitCommand
{
    internal const string Usage = "usage: mpm emit NAME [--data JSON | --data-file FILE]";
    internal static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Entry point; <paramref name="args"/> are those after <c>emit</c>. The monitor is found as <c>mpm hook</c> finds it (<see cref="MonitorEndpoint"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(args, stdout, stderr, MonitorEndpoint.FromEnvironment(), cancellationToken);

    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, MonitorEndpoint endpoint,
        CancellationToken cancellationToken)
    {
        if (ParseArguments(args, out var name, out var data) is { } problem)
        {
            stderr.WriteLine($"mpm emit: {problem}");
            return 2;
        }

        var body = new JsonObject { ["event"] = name, ["data"] = data }.ToJsonString();
        var url = new Uri(endpoint.Resolve("api/events"));
        using var client = new HttpClient { Timeout = RequestTimeout };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (endpoint.Token is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            stderr.WriteLine($"mpm emit: no monitor answers at {endpoint.BaseUrl} ({e.Message}); start one with `mpm run --monitor` or set MPM_MONITOR_URL");
            return 1;
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                stderr.WriteLine($"mpm emit: the monitor at {endpoint.BaseUrl} refused the event: {(int)response.StatusCode} {ErrorMessage(text)}");
                return 1;
            }
            if (StoredId(text) is not { } id)
            {
                stderr.WriteLine($"mpm emit: the monitor at {endpoint.BaseUrl} accepted the event but sent no id: {text}");
                return 1;
            }
            stdout.WriteLine(id);
            return 0;
        }
    }

    /// <summary>Null when the arguments are good, else the message for the user.</summary>
    internal static string? ParseArguments(string[] args, out string name, out JsonObject data)
    {
        name = "";
        data = new JsonObject();
        string? json = null, file = null;
        string? givenName = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data" when i + 1 < args.Length: json = args[++i]; break;
                case "--data-file" when i + 1 < args.Length: file = args[++i]; break;
                case "--data" or "--data-file": return $"option {args[i]} needs a value; {Usage}";
                case var a when a.StartsWith("--", StringComparison.Ordinal): return $"unknown option \"{a}\"; {Usage}";
                case var a when givenName is null: givenName = a; break;
                case var a: return $"unexpected argument \"{a}\" (the event name is \"{givenName}\"); {Usage}";
            }
        }
        if (givenName is null) return $"missing event name; {Usage}";
        if (!EventName().IsMatch(givenName))
            return $"invalid event name \"{givenName}\": it must start with a letter and contain only letters, digits, '_', '.', ':' or '-', at most 64 characters";
        if (json is not null && file is not null) return "give either --data or --data-file, not both";
        var source = "--data";
        if (file is not null)
        {
            source = $"--data-file {file}";
            try
            {
                json = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"cannot read {file}: {e.Message}";
            }
        }
        if (json is not null)
        {
            try
            {
                data = JsonNode.Parse(json) as JsonObject ?? throw new FormatException();
            }
            catch (JsonException e)
            {
                return $"{source} is not valid JSON (line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}): {e.Message}";
            }
            catch (FormatException)
            {
                return $"{source} must be a JSON object, like {{\"message\":\"hello\"}}";
            }
        }
        name = givenName;
        return null;
    }

    private static long? StoredId(string responseBody)
    {
        try
        {
            return JsonNode.Parse(responseBody) is JsonObject o && o["ids"] is JsonArray { Count: > 0 } ids
                   && ids[0] is JsonValue v && v.TryGetValue<long>(out var id) ? id : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string ErrorMessage(string responseBody)
    {
        try
        {
            if (JsonNode.Parse(responseBody) is JsonObject o && o["error"] is JsonObject error && error["message"] is JsonValue m)
                return m.ToString();
        }
        catch (JsonException)
        {
            // Not the monitor's error shape: show the body as it came.
        }
        return responseBody.Length <= 300 ? responseBody : responseBody[..300];
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.:-]{0,63}$")]
    private static partial Regex EventName();
}
