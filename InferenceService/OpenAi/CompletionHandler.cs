using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using LlmSuite.Engine.Serving;
using LlmSuite.Engine.Tokenizers;
using LlmSuite.InferenceService.Generation;
using LlmSuite.InferenceService.Models;
using LlmSuite.InferenceService.Streaming;
using LlmSuite.ServiceDefaults.RequestIds;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmSuite.InferenceService.OpenAi;

public static partial class OpenAiApi
{
    /// <summary>The default max_tokens of /v1/completions (OpenAI's legacy default).</summary>
    public const int DefaultCompletionMaxTokens = 16;

    /// <summary>
    /// POST /v1/completions: prompt as text, a token-id array, or a list of either; each prompt yields n choices
    /// (index = prompt * n + sample). echo prepends the prompt text.
    /// </summary>
    public static async Task<Results<JsonHttpResult<Completion>, SseStreamResult, OpenAiErrorResult>> CreateCompletion(HttpContext http, [AsParameters] InferenceServices services)
    {
        var aborted = http.RequestAborted;
        var generations = new List<Generation.Generation>();
        try
        {
            var request = await OpenAiJson.ReadAsync<CompletionRequest>(http);
            if (request.Suffix is { Length: > 0 })
            {
                throw ApiException.BadRequest("'suffix' (fill-in-the-middle) is not supported.", "suffix", "unsupported_value");
            }
            if (request.BestOf is { } bestOf && bestOf != (request.N ?? 1))
            {
                throw ApiException.BadRequest("'best_of' other than n is not supported.", "best_of", "unsupported_value");
            }
            if (request.StreamOptions is not null && request.Stream != true)
            {
                throw ApiException.BadRequest("'stream_options' is only allowed when 'stream' is true.", "stream_options");
            }
            var model = await services.Generator.ResolveAsync(request.Model, aborted);
            var prompts = ParsePrompts(request.Prompt, model);
            var sampling = request.ToSamplingParams(request.MaxTokens ?? DefaultCompletionMaxTokens, request.Logprobs);
            foreach (var ids in prompts)
            {
                generations.Add(services.Generator.Start(model, new GenerationRequest
                {
                    PromptIds = ids,
                    Sampling = sampling,
                    PromptParam = "prompt",
                    Priority = request.Priority ?? 0,
                    CacheSalt = request.CacheSalt,
                    SkipSpecialTokens = request.SkipSpecialTokens ?? true,
                }, aborted));
            }
            var id = "cmpl-" + (RequestId.Current ?? RequestId.New());
            var created = services.Time.GetUtcNow().ToUnixTimeSeconds();
            var name = request.Model is { Length: > 0 } m ? m : model.Entry.Name;
            var asIds = request.ReturnTokensAsTokenIds == true;
            var echo = request.Echo == true ? prompts.Select(p => model.Chat.Tokenizer.Decode(p)).ToArray() : null;
            var n = sampling.N;
            if (request.Stream == true)
            {
                var owned = generations.ToList();
                generations.Clear();
                var includeUsage = request.StreamOptions?.IncludeUsage == true;
                return new SseStreamResult(ct => StreamCompletion(owned, id, created, name, n, echo, includeUsage, model.Chat.Tokenizer, asIds, ct), OpenAiJson.Options);
            }
            var choices = Enumerable.Range(0, prompts.Count * n).Select(_ => new ChoiceBuilder(model.Chat.Tokenizer, asIds)).ToArray();
            var usages = new TokenUsage[prompts.Count];
            await foreach (var (p, output) in Merge(generations, aborted))
            {
                choices[p * n + output.Index].Add(output);
                usages[p] = output.Usage;
            }
            var result = new Completion(id, created, name, [.. choices.Select((c, i) =>
            {
                var prefix = echo?[i / n] ?? "";
                return new CompletionChoice(i, prefix + c.Text, ChoiceBuilder.CompletionLogprobs(c.Logprobs, model.Chat.Tokenizer, asIds, prefix.Length), c.FinishReason);
            })], ToUsage(Sum(usages)));
            return TypedResults.Json(result, OpenAiJson.Options);
        }
        catch (ApiException e)
        {
            return new OpenAiErrorResult(e);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return ClientGone();
        }
        finally
        {
            foreach (var g in generations)
            {
                await g.DisposeAsync();
            }
        }
    }

    /// <summary>prompt: a string, an array of strings, an array of token ids, or an array of token-id arrays.</summary>
    internal static List<int[]> ParsePrompts(JsonElement? prompt, LoadedModel model)
    {
        const string Shape = "'prompt' must be a string, an array of strings, an array of token ids or an array of token-id arrays.";
        if (prompt is not { } p || p.ValueKind == JsonValueKind.Null)
        {
            throw ApiException.BadRequest("'prompt' is required.", "prompt");
        }
        var tokenizer = model.Chat.Tokenizer;
        if (p.ValueKind == JsonValueKind.String)
        {
            return [tokenizer.Encode(p.GetString()!, addSpecialTokens: true)];
        }
        if (p.ValueKind != JsonValueKind.Array || p.GetArrayLength() == 0)
        {
            throw ApiException.BadRequest(Shape, "prompt", "invalid_type");
        }
        var items = p.EnumerateArray().ToList();
        if (items.All(e => e.ValueKind == JsonValueKind.Number))
        {
            return [TokenIds(p, model, "prompt")];
        }
        if (items.All(e => e.ValueKind == JsonValueKind.String))
        {
            return [.. items.Select(e => tokenizer.Encode(e.GetString()!, addSpecialTokens: true))];
        }
        if (items.All(e => e.ValueKind == JsonValueKind.Array))
        {
            return [.. items.Select((e, i) => TokenIds(e, model, $"prompt[{i}]"))];
        }
        throw ApiException.BadRequest(Shape, "prompt", "invalid_type");
    }

    private static int[] TokenIds(JsonElement array, LoadedModel model, string param)
    {
        var vocab = model.Chat.Model.VocabSize;
        var ids = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var e in array.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out var id) || (uint)id >= (uint)vocab)
            {
                throw ApiException.BadRequest($"{param}[{i}] must be a token id in [0, {vocab}), got {e.GetRawText()}.", param, "invalid_value");
            }
            ids[i++] = id;
        }
        return ids;
    }

    private static TokenUsage Sum(IEnumerable<TokenUsage> usages) =>
        usages.Aggregate(default(TokenUsage), (a, u) => new TokenUsage(a.PromptTokens + u.PromptTokens, a.CompletionTokens + u.CompletionTokens, a.CachedTokens + u.CachedTokens));

    // The deltas of several generations as they come, tagged with the generation's index.
    private static async IAsyncEnumerable<(int Prompt, RequestOutput Output)> Merge(IReadOnlyList<Generation.Generation> generations, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (generations.Count == 1)
        {
            await foreach (var o in generations[0].ReadAllAsync(cancellationToken))
            {
                yield return (0, o);
            }
            yield break;
        }
        var channel = Channel.CreateUnbounded<(int, RequestOutput)>();
        var pumps = generations.Select(async (g, i) =>
        {
            await foreach (var o in g.ReadAllAsync(cancellationToken))
            {
                await channel.Writer.WriteAsync((i, o), cancellationToken);
            }
        }).ToArray();
        _ = Task.WhenAll(pumps).ContinueWith(t => channel.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);
        await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return item;
        }
    }

    private static async IAsyncEnumerable<object> StreamCompletion(List<Generation.Generation> generations, string id, long created, string model, int n, string[]? echo, bool includeUsage, Tokenizer tokenizer, bool asIds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            var offsets = new int[generations.Count * n];
            var usages = new TokenUsage[generations.Count];
            if (echo is not null)
            {
                for (var i = 0; i < offsets.Length; i++)
                {
                    offsets[i] = echo[i / n].Length;
                    yield return new Completion(id, created, model, [new CompletionChoice(i, echo[i / n], null, null)], null);
                }
            }
            await foreach (var (p, output) in Merge(generations, cancellationToken))
            {
                usages[p] = output.Usage;
                var index = p * n + output.Index;
                var finish = output.FinishReason == FinishReasons.Abort ? null : output.FinishReason;
                if (output.Text.Length > 0 || output.Logprobs is { Count: > 0 } || finish is not null)
                {
                    var logprobs = ChoiceBuilder.CompletionLogprobs(output.Logprobs, tokenizer, asIds, offsets[index]);
                    offsets[index] += output.Text.Length;
                    yield return new Completion(id, created, model, [new CompletionChoice(index, output.Text, logprobs, finish)], null);
                }
            }
            if (includeUsage)
            {
                yield return new Completion(id, created, model, [], ToUsage(Sum(usages)));
            }
        }
        finally
        {
            foreach (var g in generations)
            {
                await g.DisposeAsync();
            }
        }
    }
}
