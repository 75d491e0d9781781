using System.Buffers.Text;
using System.Security.Cryptography;

namespace Mpm.Monitor.SocketIO.Engine;

/// <summary>Unguessable 20-character URL-safe ids for Engine.IO sessions and Socket.IO sockets.</summary>
internal static class IdGenerator
{
    public static string New()
    {
        Span<byte> random = stackalloc byte[15];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }
}
