using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Serving;
using LlmSuite.InferenceService.Models;
using LlmSuite.ServiceDefaults.RequestIds;
using Microsoft.Extensions.Options;

namespace LlmSuite.InferenceService.Generation;

/// <summary>
/// The one path from an API request to the engine, shared by both dialects: resolve (and load) the model, check the
/// prompt against the context (400 with the counts, never truncation), admit against the queue limit (429 with
/// Retry-After) and submit to the model's <see cref="EngineHost"/> under the request id.
/// </summary>
public sealed class Generator(ModelRegistry registry, IOptions<InferenceOptions> options, TimeProvider time)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string RequestId, LoadedModel Model)> _inFlight = new(StringComparer.Ordinal);
    private long _counter;

    /// <summary>The registry.</summary>
    public ModelRegistry Registry => registry;

    /// <summary>The model a request names, loaded. 404 when it is not served.</summary>
    public async Task<LoadedModel> ResolveAsync(string? name, CancellationToken cancellationToken)
    {
        var entry = registry.Find(name) ?? throw (string.IsNullOrEmpty(name)
            ? ApiException.BadRequest("No model was given and no default model is configured; pass \"model\".", "model")
            : ApiException.ModelNotFound(name));
        try
        {
            var model = await registry.GetOrLoadAsync(entry).WaitAsync(cancellationToken);
            model.Touch(options.Value.KeepAlive);   // not unloaded between here and Start
            return model;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ApiException(StatusCodes.Status500InternalServerError, $"Loading model '{entry.Name}' failed: {e.Message}", "model", "model_load_failed");
        }
    }

    /// <summary>Admits and submits a request. Throws <see cref="ApiException"/> for a request that cannot run.</summary>
    public Generation Start(LoadedModel model, GenerationRequest request, CancellationToken cancellationToken)
    {
        var n = request.PromptIds.Length;
        var limited = request.ContextLimit is { } limit && limit < model.MaxContext;
        var context = limited ? request.ContextLimit!.Value : model.MaxContext;
        var contextText = limited ? $"The requested context ({request.ContextParam}) is {context} tokens" : $"This model's maximum context length is {context} tokens";
        if (n == 0)
        {
            throw ApiException.BadRequest("The prompt is empty (0 tokens).", request.PromptParam);
        }
        if (n >= context)
        {
            throw ApiException.BadRequest(
                $"{contextText}. However, your prompt has {n} tokens, which leaves no room for a completion. Please reduce the length of the prompt.",
                limited ? request.ContextParam : request.PromptParam, "context_length_exceeded");
        }
        var sampling = request.Sampling;
        if (sampling.MaxTokens is { } max && max > 0 && n + max > context)
        {
            throw ApiException.BadRequest(
                $"{contextText}. However, you requested {n + max} tokens ({n} in the prompt, {max} for the completion). Please reduce the length of the prompt or the completion.",
                request.MaxTokensParam, "context_length_exceeded");
        }
        var stops = sampling.IgnoreEos ? sampling.StopTokenIds : [.. sampling.StopTokenIds.Union(model.Chat.StopTokenIds.Except(model.Chat.Model.EosTokenIds))];
        sampling = sampling with { MaxTokens = sampling.MaxTokens ?? context - n, StopTokenIds = stops };
        try
        {
            sampling.Validate(model.Chat.Model.VocabSize);
        }
        catch (SamplingParamsException e)
        {
            throw ApiException.BadRequest(e.Message, e.ParamName == "max_tokens" ? request.MaxTokensParam : e.ParamName);
        }
        if (!model.Admission.TryEnter(out var retryAfter))
        {
            throw new ApiException(StatusCodes.Status429TooManyRequests,
                $"Model '{model.Entry.Name}' has {model.Admission.InFlight} requests in flight, its limit; retry after {retryAfter.TotalSeconds:0} s.",
                null, "rate_limit_exceeded", retryAfter);
        }
        model.Enter();
        var requestId = RequestId.Current ?? RequestId.New();
        var id = $"{requestId}#{Interlocked.Increment(ref _counter)}";
        var engineRequest = new EngineRequest
        {
            RequestId = id,
            PromptTokenIds = request.PromptIds,
            Sampling = sampling,
            Priority = request.Priority,
            CacheSalt = request.CacheSalt,
            SkipSpecialTokens = request.SkipSpecialTokens,
            Constraint = request.Constraint,
        };
        var keepAlive = request.KeepAlive ?? options.Value.KeepAlive;
        try
        {
            var stream = model.Host.StreamAsync(engineRequest, cancellationToken);
            _inFlight[id] = (requestId, model);
            return new Generation(model, id, n, stream, keepAlive, time, () => _inFlight.TryRemove(id, out _));
        }
        catch (Exception e)
        {
            model.Admission.Exit(completed: false);
            model.Exit(keepAlive);
            if (e is RequestRejectedException rejected)
            {
                throw ApiException.BadRequest(rejected.Message, request.PromptParam);
            }
            if (e is ObjectDisposedException)
            {
                throw new ApiException(StatusCodes.Status503ServiceUnavailable, $"Model '{model.Entry.Name}' is being unloaded; retry.", "model", "model_unloading", TimeSpan.FromSeconds(1));
            }
            throw;
        }
    }

    /// <summary>
    /// Aborts every engine request started under this x-request-id (the engine ids are "&lt;x-request-id&gt;#&lt;n&gt;", unique
    /// when one HTTP request carries several prompts). Returns how many were aborted.
    /// </summary>
    public int Abort(string requestId)
    {
        var count = 0;
        foreach (var (engineId, entry) in _inFlight)
        {
            if (entry.RequestId == requestId)
            {
                entry.Model.Host.Abort(engineId);
                count++;
            }
        }
        return count;
    }
}
