using System.Text.Json.Serialization;
using Mpm.Monitor.Collectors.Docker.Api;

namespace Mpm.Monitor.Collectors.Docker;

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(ContainerListItem[]))]
[JsonSerializable(typeof(ContainerInspectResponse))]
[JsonSerializable(typeof(EngineEvent))]
[JsonSerializable(typeof(StatsFrame))]
[JsonSerializable(typeof(EngineError))]
internal sealed partial class DockerJsonContext : JsonSerializerContext;
