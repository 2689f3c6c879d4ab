// The suite's application model, the Aspire way: resources, references, replicas, waits.
// `dotnet run --project AppHost [-- --replicas N --model PATH --port N --no-redis]`
using LlmSuite.AppHost.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddRedis("redis");

var inference = builder.AddProject("inference", "InferenceService")
    .WithReplicas(builder.Options.InferenceReplicas)
    .WithReference(redis)
    .WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithEnvironment("Inference__Model", builder.ModelPath);

builder.AddProject("gateway", "Gateway")
    .WithHttpPort(builder.Options.GatewayPort)
    .WithReference(redis)
    .WithReference(inference)
    .WaitFor(inference)
    .WithHttpHealthCheck("/health");

return await builder.Build().RunAsync();
