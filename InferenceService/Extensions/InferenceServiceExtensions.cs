using LlmSuite.InferenceService.Generation;
using LlmSuite.InferenceService.Models;
using LlmSuite.InferenceService.Ollama;
using LlmSuite.InferenceService.OpenAi;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>DI wiring and route mapping of the inference service.</summary>
public static class InferenceServiceExtensions
{
    /// <summary>Command-line switches mapped to the <c>Inference</c> section.</summary>
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>
    {
        ["--model"] = "Inference:Model",
        ["--models-dir"] = "Inference:ModelsDir",
        ["--keep-alive"] = "Inference:KeepAlive",
        ["--max-num-seqs"] = "Inference:MaxNumSeqs",
        ["--max-queued-requests"] = "Inference:MaxQueuedRequests",
        ["--kv-cache-bytes"] = "Inference:KvCacheBytes",
        ["--kv-cache-dtype"] = "Inference:KvCacheDType",
        ["--quantize"] = "Inference:Quantize",
    };

    /// <summary>Options, the model registry (default model loaded at startup, readiness), the generator, the body size limit.</summary>
    public static WebApplicationBuilder AddInferenceServices(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string>(SwitchMappings));
        builder.Services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.Section);
        builder.Services.TryAddSingletonTimeProvider();
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddSingleton<Generator>();
        builder.Services.AddHostedService<ModelLifetime>();
        builder.Services.AddHealthChecks().AddCheck<DefaultModelHealthCheck>("default-model");
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<InferenceOptions>>((kestrel, inference) =>
            kestrel.Limits.MaxRequestBodySize = inference.Value.MaxRequestBodyBytes);
        return builder;
    }

    /// <summary>The OpenAI and Ollama APIs.</summary>
    public static WebApplication MapInferenceApis(this WebApplication app)
    {
        app.MapOpenAiApi();
        app.MapOllamaApi();
        return app;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
