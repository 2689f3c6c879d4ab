using System.Runtime.CompilerServices;
using System.Text.Json;
using LlmSuite.Engine.Chat;
using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Sampling.Constraints;
using LlmSuite.Engine.Serving;
using LlmSuite.InferenceService.Generation;
using LlmSuite.InferenceService.Models;
using LlmSuite.InferenceService.OpenAi;
using LlmSuite.InferenceService.Streaming;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmSuite.InferenceService.Ollama;

/// <summary>
/// The Ollama-compatible API: <c>/api/chat</c>, <c>/api/generate</c> (NDJSON streaming by default),
/// <c>/api/tags</c>, <c>/api/show</c>, <c>/api/ps</c>, <c>/api/version</c>. Errors are <c>{"error": "..."}</c>.
/// </summary>
public static partial class OllamaApi
{
    /// <summary>The Ollama version we report (clients check it for features).</summary>
    public const string Version = "0.12.6";

    /// <summary>Ollama's JSON: snake_case, as the OpenAI side.</summary>
    public static JsonSerializerOptions Json => OpenAiJson.Options;

    /// <summary>Maps the routes.</summary>
    public static RouteGroupBuilder MapOllamaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Ollama");
        api.MapPost("/chat", Chat).WithName("OllamaChat");
        api.MapPost("/generate", Generate).WithName("OllamaGenerate");
        api.MapGet("/tags", Tags).WithName("OllamaTags");
        api.MapPost("/show", Show).WithName("OllamaShow");
        api.MapGet("/ps", Ps).WithName("OllamaPs");
        api.MapGet("/version", GetVersion).WithName("OllamaVersion");
        return api;
    }

    /// <summary>GET /api/version.</summary>
    public static JsonHttpResult<OllamaVersion> GetVersion() => TypedResults.Json(new OllamaVersion(Version), Json);

    /// <summary>GET /api/tags: every servable model.</summary>
    public static JsonHttpResult<OllamaTags> Tags([AsParameters] InferenceServices services) =>
        TypedResults.Json(new OllamaTags([.. services.Registry.List().Select(e =>
            new OllamaTagModel(TagName(e), TagName(e), e.ModifiedAt, e.SizeBytes, e.Digest, Details(e, services.Registry.FindLoaded(e.Name))))]), Json);

    /// <summary>GET /api/ps: the loaded models and when they unload.</summary>
    public static JsonHttpResult<OllamaPs> Ps([AsParameters] InferenceServices services) =>
        TypedResults.Json(new OllamaPs([.. services.Registry.Loaded.Select(m =>
            new OllamaRunningModel(TagName(m.Entry), TagName(m.Entry), m.MemoryBytes, m.Entry.Digest, Details(m.Entry, m),
                m.ExpiresAt == DateTimeOffset.MaxValue ? new DateTimeOffset(2318, 1, 1, 0, 0, 0, TimeSpan.Zero) : m.ExpiresAt, 0, m.MaxContext))]), Json);

    /// <summary>POST /api/show: template, details and model info (loads the model).</summary>
    public static async Task<Results<JsonHttpResult<OllamaShow>, JsonHttpResult<OllamaError>>> Show(HttpContext http, [AsParameters] InferenceServices services)
    {
        try
        {
            var request = await OpenAiJson.ReadAsync<OllamaShowRequest>(http, Json);
            var model = await Resolve(services, request.Model ?? request.Name, http.RequestAborted);
            var config = model.Chat.Model.Config;
            var arch = config.ModelType;
            var info = new Dictionary<string, object>
            {
                ["general.architecture"] = arch,
                [$"{arch}.context_length"] = model.MaxContext,
                [$"{arch}.embedding_length"] = config.HiddenSize,
                [$"{arch}.block_count"] = config.NumLayers,
                [$"{arch}.attention.head_count"] = config.NumHeads,
                [$"{arch}.attention.head_count_kv"] = config.NumKvHeads,
                ["tokenizer.vocab_size"] = config.VocabSize,
            };
            return TypedResults.Json(new OllamaShow("", "", model.Chat.Template?.Source ?? "", Details(model.Entry, model), info, ["completion"], model.Entry.ModifiedAt), Json);
        }
        catch (ApiException e)
        {
            return Error(e);
        }
    }

    /// <summary>POST /api/chat: a conversation through the chat template; NDJSON unless stream is false.</summary>
    public static async Task<Results<JsonHttpResult<OllamaChatResponse>, NdjsonStreamResult, JsonHttpResult<OllamaError>>> Chat(HttpContext http, [AsParameters] InferenceServices services)
    {
        var aborted = http.RequestAborted;
        try
        {
            var request = await OpenAiJson.ReadAsync<OllamaChatRequest>(http, Json);
            var start = services.Time.GetTimestamp();
            var keepAlive = KeepAlive.Parse(request.KeepAlive);
            var constraint = CheckFormat(request.Format);
            var model = await Resolve(services, request.Model, aborted);
            var loadNs = Nanoseconds(services.Time.GetElapsedTime(start));
            var name = request.Model ?? TagName(model.Entry);
            if (request.Messages is null || request.Messages.Count == 0)
            {
                // Ollama: an empty conversation loads (or with keep_alive 0 unloads) the model
                var reason = Touch(services, model, keepAlive);
                return TypedResults.Json(new OllamaChatResponse(name, services.Time.GetUtcNow(), new OllamaMessage("assistant", ""), true, reason), Json);
            }
            var messages = ChatMessages.Parse(request.Messages);
            var tools = request.Tools?.Select(t => (object?)t).ToList();
            var prompt = OpenAiApi.RenderChat(model.Chat, messages, true, tools, null);
            var generation = services.Generator.Start(model, new GenerationRequest
            {
                PromptIds = ChatPrompt.Tokenize(model.Chat, prompt),
                Sampling = Sampling(request.Options),
                Constraint = constraint,
                PromptParam = "messages",
                MaxTokensParam = "options.num_predict",
                ContextLimit = request.Options?.NumCtx,
                KeepAlive = keepAlive,
            }, aborted);
            if (request.Stream != false)
            {
                return new NdjsonStreamResult(ct => StreamChat(generation, name, services.Time, start, loadNs, ct), Json);
            }
            await using (generation)
            {
                var (text, last) = await CollectAsync(generation, aborted);
                return TypedResults.Json(Final(generation, last, name, services.Time, start, loadNs) with { Message = new OllamaMessage("assistant", text) }, Json);
            }
        }
        catch (ApiException e)
        {
            return Error(e);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return TypedResults.Json(new OllamaError("client closed the request"), Json, statusCode: 499);
        }
    }

    /// <summary>POST /api/generate: a prompt (through the chat template unless raw); NDJSON unless stream is false.</summary>
    public static async Task<Results<JsonHttpResult<OllamaGenerateResponse>, NdjsonStreamResult, JsonHttpResult<OllamaError>>> Generate(HttpContext http, [AsParameters] InferenceServices services)
    {
        var aborted = http.RequestAborted;
        try
        {
            var request = await OpenAiJson.ReadAsync<OllamaGenerateRequest>(http, Json);
            var start = services.Time.GetTimestamp();
            var keepAlive = KeepAlive.Parse(request.KeepAlive);
            var constraint = CheckFormat(request.Format);
            if (request.Suffix is { Length: > 0 })
            {
                throw ApiException.BadRequest("suffix (fill-in-the-middle) is not supported", "suffix");
            }
            var model = await Resolve(services, request.Model, aborted);
            var loadNs = Nanoseconds(services.Time.GetElapsedTime(start));
            var name = request.Model ?? TagName(model.Entry);
            if (string.IsNullOrEmpty(request.Prompt))
            {
                var reason = Touch(services, model, keepAlive);
                return TypedResults.Json(new OllamaGenerateResponse(name, services.Time.GetUtcNow(), "", true, reason), Json);
            }
            int[] ids;
            if (request.Raw == true || model.Chat.Template is null)
            {
                ids = model.Chat.Tokenizer.Encode(request.Prompt, addSpecialTokens: true);
            }
            else
            {
                var messages = new List<ChatMessage>();
                if (request.System is { Length: > 0 } system)
                {
                    messages.Add(new ChatMessage("system", system));
                }
                messages.Add(new ChatMessage("user", request.Prompt));
                ids = ChatPrompt.Tokenize(model.Chat, OpenAiApi.RenderChat(model.Chat, messages, true, null, null));
            }
            var generation = services.Generator.Start(model, new GenerationRequest
            {
                PromptIds = ids,
                Sampling = Sampling(request.Options),
                Constraint = constraint,
                PromptParam = "prompt",
                MaxTokensParam = "options.num_predict",
                ContextLimit = request.Options?.NumCtx,
                KeepAlive = keepAlive,
            }, aborted);
            if (request.Stream != false)
            {
                return new NdjsonStreamResult(ct => StreamGenerate(generation, name, services.Time, start, loadNs, ct), Json);
            }
            await using (generation)
            {
                var (text, last) = await CollectAsync(generation, aborted);
                var final = Final(generation, last, name, services.Time, start, loadNs);
                return TypedResults.Json(ToGenerate(final, text), Json);
            }
        }
        catch (ApiException e)
        {
            return Error(e);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return TypedResults.Json(new OllamaError("client closed the request"), Json, statusCode: 499);
        }
    }

    /// <summary>Ollama options → sampling parameters, with Ollama's defaults (temperature 0.8, top_k 40, top_p 0.9, repeat_penalty 1.1).</summary>
    public static SamplingParams Sampling(OllamaOptions? o)
    {
        o ??= new OllamaOptions();
        int? max = o.NumPredict switch
        {
            null or -1 or -2 => null,
            > 0 and var n => n,
            _ => throw ApiException.BadRequest($"options.num_predict must be positive, -1 (unlimited) or -2 (fill the context), got {o.NumPredict}", "options.num_predict"),
        };
        if (o.NumCtx is <= 0)
        {
            throw ApiException.BadRequest($"options.num_ctx must be positive, got {o.NumCtx}", "options.num_ctx");
        }
        return new SamplingParams
        {
            Temperature = o.Temperature ?? 0.8f,
            TopK = o.TopK ?? 40,
            TopP = o.TopP ?? 0.9f,
            MinP = o.MinP ?? 0f,
            RepetitionPenalty = o.RepeatPenalty ?? 1.1f,
            PresencePenalty = o.PresencePenalty ?? 0f,
            FrequencyPenalty = o.FrequencyPenalty ?? 0f,
            Stop = o.Stop ?? [],
            Seed = o.Seed,
            MaxTokens = max,
        };
    }

    private static async Task<LoadedModel> Resolve(InferenceServices services, string? name, CancellationToken cancellationToken)
    {
        try
        {
            return await services.Generator.ResolveAsync(name, cancellationToken);
        }
        catch (ApiException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            throw new ApiException(e.Status, $"model \"{name}\" not found, try pulling it first", "model", e.Code);
        }
    }

    private static string Touch(InferenceServices services, LoadedModel model, TimeSpan? keepAlive)
    {
        if (keepAlive == TimeSpan.Zero && services.Registry.Unload(model))
        {
            return "unload";
        }
        if (keepAlive is { } k)
        {
            model.Touch(k);
        }
        return "load";
    }

    /// <summary>format: absent / null / "" = free text, "json" = JSON mode; a JSON schema is not supported yet (400).</summary>
    private static OutputConstraint CheckFormat(JsonElement? format)
    {
        if (format is not { } f || f.ValueKind == JsonValueKind.Null || (f.ValueKind == JsonValueKind.String && f.GetString() == ""))
        {
            return OutputConstraint.None;
        }
        if (f.ValueKind == JsonValueKind.String && f.GetString() == "json")
        {
            return OutputConstraint.JsonObject;
        }
        throw ApiException.BadRequest("format: only \"json\" (JSON mode) is supported; JSON schemas are not supported yet (no schema-constrained decoding)", "format");
    }

    private static JsonHttpResult<OllamaError> Error(ApiException e)
    {
        var result = TypedResults.Json(new OllamaError(e.Message), Json, statusCode: e.Status);
        return result;
    }

    private static async IAsyncEnumerable<object> StreamChat(Generation.Generation generation, string name, TimeProvider time, long start, long loadNs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var _ = generation;
        RequestOutput? last = null;
        await foreach (var output in generation.ReadAllAsync(cancellationToken))
        {
            last = output;
            if (output.Text.Length > 0)
            {
                yield return new OllamaChatResponse(name, time.GetUtcNow(), new OllamaMessage("assistant", output.Text), false);
            }
        }
        yield return Final(generation, last, name, time, start, loadNs);
    }

    private static async IAsyncEnumerable<object> StreamGenerate(Generation.Generation generation, string name, TimeProvider time, long start, long loadNs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var _ = generation;
        RequestOutput? last = null;
        await foreach (var output in generation.ReadAllAsync(cancellationToken))
        {
            last = output;
            if (output.Text.Length > 0)
            {
                yield return new OllamaGenerateResponse(name, time.GetUtcNow(), output.Text, false);
            }
        }
        yield return ToGenerate(Final(generation, last, name, time, start, loadNs), "");
    }

    private static OllamaChatResponse Final(Generation.Generation g, RequestOutput? last, string name, TimeProvider time, long start, long loadNs)
    {
        var end = time.GetTimestamp();
        var first = g.FirstTokenTimestamp == 0 ? end : g.FirstTokenTimestamp;
        var usage = last?.Usage ?? default;
        return new OllamaChatResponse(name, time.GetUtcNow(), new OllamaMessage("assistant", ""), true,
            last?.FinishReason ?? FinishReasons.Stop,
            TotalDuration: Nanoseconds(time.GetElapsedTime(start, end)),
            LoadDuration: loadNs,
            PromptEvalCount: usage.PromptTokens,
            PromptEvalDuration: Nanoseconds(time.GetElapsedTime(g.StartTimestamp, first)),
            EvalCount: usage.CompletionTokens,
            EvalDuration: Nanoseconds(time.GetElapsedTime(first, g.EndTimestamp == 0 ? end : g.EndTimestamp)));
    }

    private static OllamaGenerateResponse ToGenerate(OllamaChatResponse c, string text) =>
        new(c.Model, c.CreatedAt, text, c.Done, c.DoneReason, c.TotalDuration, c.LoadDuration, c.PromptEvalCount, c.PromptEvalDuration, c.EvalCount, c.EvalDuration);

    private static long Nanoseconds(TimeSpan t) => t.Ticks * 100;

    /// <summary>Ollama names carry a tag; ours get ":latest" when they have none.</summary>
    public static string TagName(ModelEntry e) => e.Name.Contains(':', StringComparison.Ordinal) ? e.Name : e.Name + ":latest";

    private static OllamaModelDetails Details(ModelEntry e, LoadedModel? loaded)
    {
        var family = loaded?.Chat.Model.Config.ModelType ?? ModelType(e) ?? "unknown";
        var parameters = loaded is null ? "" : FormatParameters(loaded.Chat.Model.WeightBytes, loaded.Chat.Model.Config);
        return new OllamaModelDetails("", e.Format, family, [family], parameters, loaded is null ? "" : "F32");
    }

    private static string? ModelType(ModelEntry e)
    {
        var config = Path.Combine(e.Path, "config.json");
        if (!File.Exists(config))
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(config));
            return doc.RootElement.TryGetProperty("model_type", out var t) ? t.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string FormatParameters(long weightBytes, Engine.Formats.ModelConfig config)
    {
        var count = (double)config.VocabSize * config.HiddenSize * 2
            + config.NumLayers * ((double)config.HiddenSize * config.HeadDim * (config.NumHeads * 2 + config.NumKvHeads * 2) + 3.0 * config.HiddenSize * config.IntermediateSize);
        return count >= 1e9 ? $"{count / 1e9:0.#}B" : $"{count / 1e6:0.#}M";
    }

    /// <summary>A non-streamed answer: the whole text and the last delta (finish reason, usage).</summary>
    private static async Task<(string Text, RequestOutput? Last)> CollectAsync(Generation.Generation generation, CancellationToken aborted)
    {
        var text = new System.Text.StringBuilder();
        RequestOutput? last = null;
        await foreach (var output in generation.ReadAllAsync(aborted))
        {
            text.Append(output.Text);
            last = output;
        }
        return (text.ToString(), last);
    }
}
