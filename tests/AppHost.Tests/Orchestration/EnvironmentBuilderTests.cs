using LlmSuite.AppHost.Orchestration;
using LlmSuite.AppHost.Resources;

namespace LlmSuite.AppHost.Tests.Orchestration;

public class EnvironmentBuilderTests
{
    private static readonly Dictionary<string, string> s_none = [];

    [Fact]
    public void Build_ReferencesToRedisAndReplicatedProject_UsesAspireVariableNames()
    {
        var redis = new RedisResource("redis", "/usr/bin/redis-server");
        var inference = new ProjectResource("inference", "/src/InferenceService", "/bin/InferenceService.dll") { Replicas = 2 };
        var gateway = new ProjectResource("gateway", "/src/Gateway", "/bin/Gateway.dll");
        gateway.References.Add(redis);
        gateway.References.Add(inference);
        var ports = new Dictionary<Resource, IReadOnlyList<int>> { [redis] = [6400], [inference] = [5001, 5002], [gateway] = [5100] };
        var spec = gateway.CreateProcess(0, 5100, "/tmp");

        var env = EnvironmentBuilder.Build(gateway, 0, spec, r => ports[r], name => s_none.GetValueOrDefault(name));

        Assert.Equal("127.0.0.1:6400", env["ConnectionStrings__redis"]);
        Assert.Equal("http://127.0.0.1:5001", env["services__inference__http__0"]);
        Assert.Equal("http://127.0.0.1:5002", env["services__inference__http__1"]);
        Assert.Equal("http://127.0.0.1:5100", env["ASPNETCORE_URLS"]);
        Assert.Equal("gateway", env["OTEL_SERVICE_NAME"]);
        Assert.Equal("service.instance.id=gateway", env["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.False(env.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.False(env.ContainsKey("services__redis__tcp__0"));
    }

    [Fact]
    public void Build_HostHasOtlpEndpoint_ForwardedWithDevelopmentExportDelays()
    {
        var host = new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4318", ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf" };
        var inference = new ProjectResource("inference", "/src", "/bin/x.dll") { Replicas = 2 };
        var spec = inference.CreateProcess(1, 5002, "/tmp");

        var env = EnvironmentBuilder.Build(inference, 1, spec, _ => [5001, 5002], name => host.GetValueOrDefault(name));

        Assert.Equal("http://127.0.0.1:4318", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", env["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("1000", env["OTEL_BSP_SCHEDULE_DELAY"]);
        Assert.Equal("service.instance.id=inference-1", env["OTEL_RESOURCE_ATTRIBUTES"]);
    }
}
