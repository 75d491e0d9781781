using System.Text.Json.Serialization;

namespace Mpm.Monitor.Http;

/// <summary>Compile-time JSON metadata for the host's responses: no reflection on the first request.</summary>
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(AgentsResponse))]
[JsonSerializable(typeof(ErrorResponses.ErrorBody))]
internal sealed partial class MonitorJsonContext : JsonSerializerContext;
