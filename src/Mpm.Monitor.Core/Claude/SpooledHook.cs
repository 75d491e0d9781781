using System.Text.Json.Nodes;

namespace Mpm.Monitor.Core.Claude;

/// <summary>One hook input taken from the spool: its id (the idempotency key), when it was spooled, and the input.</summary>
public sealed record SpooledHook(string SpoolId, DateTimeOffset SpooledAt, JsonObject Input);
