using System.Text.Json;

namespace Mpm.Monitor.SocketIO.Protocol;

/// <summary>A decoded Socket.IO packet received from a client.</summary>
/// <param name="Query">Engine.IO v3 clients put a query string on the namespace (<c>/admin?token=x</c>); empty otherwise.</param>
internal sealed record SioPacket(SioPacketType Type, string Namespace, int AckId, int AttachmentCount, JsonElement? Payload, string Query);
