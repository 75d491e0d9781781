using System.Net;
using System.Text;

namespace Mpm.Monitor.SocketIO.Tests;

/// <summary>Raw Engine.IO long-polling requests over HttpClient.</summary>
internal static class Polling
{
    public static async Task<(string Sid, JsonElement Open)> HandshakeAsync(HttpClient http, int eio = 4, string extraQuery = "")
    {
        var response = await http.GetAsync($"/socket.io/?EIO={eio}&transport=polling{extraQuery}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var packet = eio >= 4 ? body.Split('\x1e')[0] : body[(body.IndexOf(':') + 1)..];
        Assert.StartsWith("0", packet);
        if (eio < 4)
            packet = packet[..int.Parse(body[..body.IndexOf(':')])];
        var open = JsonDocument.Parse(packet[1..]).RootElement.Clone();
        return (open.GetProperty("sid").GetString()!, open);
    }

    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient http, string sid, int eio = 4, string extraQuery = "")
    {
        var response = await http.GetAsync($"/socket.io/?EIO={eio}&transport=polling&sid={sid}{extraQuery}");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, string sid, string payload, int eio = 4)
    {
        var response = await http.PostAsync($"/socket.io/?EIO={eio}&transport=polling&sid={sid}", new StringContent(payload, Encoding.UTF8, "text/plain"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls until a payload holds something besides pings (which it answers), returning the v4 packets.</summary>
    public static async Task<List<string>> ReceivePacketsAsync(HttpClient http, string sid)
    {
        while (true)
        {
            var (status, body) = await GetAsync(http, sid);
            Assert.True(status == HttpStatusCode.OK, $"poll answered {(int)status} {body}");
            var packets = body.Split('\x1e').ToList();
            if (packets.Remove("2"))
                await PostAsync(http, sid, "3");
            if (packets.Count > 0)
                return packets;
        }
    }
}
