using LlmSuite.AppHost.Resources;

namespace LlmSuite.AppHost.Orchestration;

/// <summary>
/// The environment of one replica, exactly as an Aspire AppHost would set it: <c>services__{name}__{scheme}__{i}</c>
/// per referenced replica, <c>ConnectionStrings__{name}</c>, <c>OTEL_SERVICE_NAME</c>,
/// <c>OTEL_RESOURCE_ATTRIBUTES=service.instance.id=…</c>, the OTLP exporter settings when the AppHost has them.
/// </summary>
internal static class EnvironmentBuilder
{
    private static readonly string[] s_forwardedOtel =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS"];

    public static Dictionary<string, string> Build(
        Resource resource, int index, ProcessSpec spec, Func<Resource, IReadOnlyList<int>> portsOf, Func<string, string?> hostEnvironment)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["OTEL_SERVICE_NAME"] = resource.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={resource.ReplicaName(index)}",
            ["DOTNET_ENVIRONMENT"] = hostEnvironment("DOTNET_ENVIRONMENT") ?? "Development",
            ["ASPNETCORE_ENVIRONMENT"] = hostEnvironment("ASPNETCORE_ENVIRONMENT") ?? hostEnvironment("DOTNET_ENVIRONMENT") ?? "Development",
            ["DOTNET_NOLOGO"] = "1",
        };
        if (hostEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 })
        {
            foreach (var name in s_forwardedOtel)
            {
                if (hostEnvironment(name) is { Length: > 0 } value)
                {
                    env[name] = value;
                }
            }
            // Aspire's development defaults: export quickly so the dashboard is live.
            env["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            env["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            env["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
            env["OTEL_TRACES_SAMPLER"] = "always_on";
        }
        foreach (var reference in resource.References)
        {
            var ports = portsOf(reference);
            if (reference.ConnectionString(ports) is { } connectionString)
            {
                env[$"ConnectionStrings__{reference.Name}"] = connectionString;
                continue;
            }
            for (var i = 0; i < ports.Count; i++)
            {
                env[$"services__{reference.Name}__{reference.Scheme}__{i}"] = $"{reference.Scheme}://127.0.0.1:{ports[i]}";
            }
        }
        foreach (var (key, value) in resource.Environment)
        {
            env[key] = value;
        }
        foreach (var (key, value) in spec.Environment)
        {
            env[key] = value;
        }
        return env;
    }
}
