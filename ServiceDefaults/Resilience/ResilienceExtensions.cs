using LlmSuite.ServiceDefaults.Resilience;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>HttpClient resilience registration.</summary>
public static class ResilienceExtensions
{
    /// <summary>Adds the standard pipeline (options from the <c>Resilience</c> configuration section).</summary>
    public static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder)
    {
        builder.Services.AddOptions<ResilienceOptions>().BindConfiguration("Resilience");
        builder.Services.AddTransient<StandardResilienceHandler>();
        return builder.AddHttpMessageHandler<StandardResilienceHandler>();
    }
}
