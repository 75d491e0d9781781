using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Mpm.Monitor.Browser.Tests.Infrastructure;

/// <summary>Publishes events to the monitor the way tools do: <c>POST /api/events</c> with an array.</summary>
internal static class MonitorEvents
{
    // Optional fields are left out rather than sent as null, as a real source does.
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Posts the events in order and returns their stored ids, in the same order.</summary>
    public static async Task<long[]> PostAsync(HttpClient http, string? token, params (string Name, object Data)[] events)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events")
        {
            Content = JsonContent.Create(events.Select(e => new { @event = e.Name, data = e.Data }).ToArray(), options: Json),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/events answered {(int)response.StatusCode}: {body}");
        var ids = JsonNode.Parse(body)!["ids"]!.AsArray().Select(n => n!.GetValue<long>()).ToArray();
        Assert.Equal(events.Length, ids.Length);
        return ids;
    }

    public static async Task<long> PostOneAsync(HttpClient http, string? token, string name, object data) =>
        (await PostAsync(http, token, (name, data)))[0];
}
