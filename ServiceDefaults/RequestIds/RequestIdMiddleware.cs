using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmSuite.ServiceDefaults.RequestIds;

/// <summary>
/// Accepts the caller's <c>x-request-id</c> (or generates one), echoes it on the response, puts it in the logging
/// scope (<c>RequestId</c>), tags the server span with it and sets <see cref="HttpContext.TraceIdentifier"/>.
/// </summary>
internal static class RequestIdMiddleware
{
    public static IServiceCollection AddRequestIds(this IServiceCollection services)
    {
        services.AddTransient<RequestIdHandler>();
        return services;
    }

    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("LlmSuite.RequestId");
        return app.Use((context, next) => InvokeAsync(context, next, logger));
    }

    private static async Task InvokeAsync(HttpContext context, RequestDelegate next, ILogger logger)
    {
        var incoming = context.Request.Headers[RequestId.HeaderName].ToString();
        var id = RequestId.IsValid(incoming) ? incoming : RequestId.New();
        context.TraceIdentifier = id;
        context.Request.Headers[RequestId.HeaderName] = id;
        context.Response.OnStarting(static state =>
        {
            var (ctx, value) = ((HttpContext, string))state;
            ctx.Response.Headers[RequestId.HeaderName] = value;
            return Task.CompletedTask;
        }, (context, id));
        Activity.Current?.SetTag("request.id", id);

        var previous = RequestId.Current;
        RequestId.Current = id;
        try
        {
            using (logger.BeginScope(new RequestIdScope(id)))
            {
                await next(context);
            }
        }
        finally
        {
            RequestId.Current = previous;
        }
    }

    /// <summary>A logging scope that shows as <c>RequestId:…</c> and exports as the attribute <c>RequestId</c>.</summary>
    private sealed class RequestIdScope(string id) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public KeyValuePair<string, object?> this[int index]
            => index == 0 ? new("RequestId", id) : throw new ArgumentOutOfRangeException(nameof(index));

        public int Count => 1;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"RequestId:{id}";
    }
}
