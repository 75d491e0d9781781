using System.Text;

namespace Mpm.Monitor.SocketIO.Tests;

/// <summary>Turns valid packets into hostile ones: random bytes, truncations, huge numbers, bad placeholders, deep JSON.</summary>
internal sealed class PacketMutator(Random random)
{
    private static readonly string[] Fragments =
    [
        "99999999999999999999", "-1", "2147483648", "1e308", "NaN", "\"", "\\", "\u0000", "\x1e", ",", "[", "]", "{", "}",
        "{\"_placeholder\":true,\"num\":99999}", "{\"_placeholder\":true,\"num\":-1}", "{\"_placeholder\":\"x\"}",
        "/", "/nsp,", "?", "\u00ff", "\ud800", "b", "451-", "99999-", "0", "4", "6", "2probe", "null", "true",
    ];

    public byte[] Mutate(string valid)
    {
        var bytes = Encoding.UTF8.GetBytes(valid).ToList();
        var rounds = 1 + random.Next(4);
        for (var r = 0; r < rounds; r++)
        {
            switch (random.Next(8))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                case 2 when bytes.Count > 1:
                    bytes.RemoveRange(random.Next(bytes.Count), 1);
                    break;
                case 3 when bytes.Count > 1:
                    var keep = 1 + random.Next(bytes.Count - 1);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
                case 4:
                    bytes.InsertRange(random.Next(bytes.Count + 1), Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]));
                    break;
                case 5:
                    var depth = random.Next(10, 5000);
                    var deep = new string('[', depth) + new string(']', random.Next(depth + 1));
                    bytes.InsertRange(Math.Min(bytes.Count, 2 + random.Next(4)), Encoding.UTF8.GetBytes(deep));
                    break;
                case 6 when bytes.Count > 0:
                    var start = random.Next(bytes.Count);
                    var length = Math.Min(bytes.Count - start, 1 + random.Next(16));
                    bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(start, length));
                    break;
                default:
                    var noise = new byte[random.Next(1, 32)];
                    random.NextBytes(noise);
                    bytes.InsertRange(random.Next(bytes.Count + 1), noise);
                    break;
            }
        }
        return [.. bytes];
    }
}
