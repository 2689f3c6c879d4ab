using System.Runtime.CompilerServices;
using System.Text.Json;
using LlmSuite.Engine.Chat;
using LlmSuite.Engine.Sampling.Constraints;
using LlmSuite.Engine.Serving;
using LlmSuite.Engine.Tokenizers;
using LlmSuite.InferenceService.Generation;
using LlmSuite.InferenceService.Streaming;
using LlmSuite.ServiceDefaults.RequestIds;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmSuite.InferenceService.OpenAi;

public static partial class OpenAiApi
{
    /// <summary>POST /v1/chat/completions: renders the conversation with the model's chat template and generates, streamed (SSE) or not.</summary>
    public static async Task<Results<JsonHttpResult<ChatCompletion>, SseStreamResult, OpenAiErrorResult>> CreateChatCompletion(HttpContext http, [AsParameters] InferenceServices services)
    {
        var aborted = http.RequestAborted;
        try
        {
            var request = await OpenAiJson.ReadAsync<ChatCompletionRequest>(http);
            var messages = ChatMessages.Parse(request.Messages);
            if (request.TopLogprobs is not null && request.Logprobs != true)
            {
                throw ApiException.BadRequest("'top_logprobs' needs 'logprobs': true.", "top_logprobs");
            }
            if (request.StreamOptions is not null && request.Stream != true)
            {
                throw ApiException.BadRequest("'stream_options' is only allowed when 'stream' is true.", "stream_options");
            }
            var constraint = CheckResponseFormat(request.ResponseFormat);
            var model = await services.Generator.ResolveAsync(request.Model, aborted);
            var tools = request.Tools?.Select(t => (object?)t).ToList();
            var extra = request.ChatTemplateKwargs?.ToDictionary(kv => kv.Key, kv => (object?)kv.Value);
            var prompt = RenderChat(model.Chat, messages, request.AddGenerationPrompt ?? true, tools, extra);
            var ids = ChatPrompt.Tokenize(model.Chat, prompt);
            var maxParam = request.MaxCompletionTokens is not null ? "max_completion_tokens" : "max_tokens";
            var sampling = request.ToSamplingParams(request.MaxCompletionTokens ?? request.MaxTokens, request.Logprobs == true ? request.TopLogprobs ?? 0 : null);
            var generation = services.Generator.Start(model, new GenerationRequest
            {
                PromptIds = ids,
                Sampling = sampling,
                PromptParam = "messages",
                MaxTokensParam = maxParam,
                Priority = request.Priority ?? 0,
                CacheSalt = request.CacheSalt,
                SkipSpecialTokens = request.SkipSpecialTokens ?? true,
                Constraint = constraint,
            }, aborted);
            var id = "chatcmpl-" + (RequestId.Current ?? RequestId.New());
            var created = services.Time.GetUtcNow().ToUnixTimeSeconds();
            var name = request.Model is { Length: > 0 } m ? m : model.Entry.Name;
            var asIds = request.ReturnTokensAsTokenIds == true;
            if (request.Stream == true)
            {
                var includeUsage = request.StreamOptions?.IncludeUsage == true;
                return new SseStreamResult(ct => StreamChat(generation, id, created, name, sampling.N, includeUsage, model.Chat.Tokenizer, asIds, ct), OpenAiJson.Options);
            }
            await using (generation)
            {
                var choices = Enumerable.Range(0, sampling.N).Select(_ => new ChoiceBuilder(model.Chat.Tokenizer, asIds)).ToArray();
                var usage = default(TokenUsage);
                await foreach (var output in generation.ReadAllAsync(aborted))
                {
                    choices[output.Index].Add(output);
                    usage = output.Usage;
                }
                var result = new ChatCompletion(id, created, name,
                    [.. choices.Select((c, i) => new ChatChoice(i, new ChatResponseMessage("assistant", c.Text.ToString()), c.ChatLogprobs(), c.FinishReason, c.StopReason))],
                    ToUsage(usage));
                return TypedResults.Json(result, OpenAiJson.Options);
            }
        }
        catch (ApiException e)
        {
            return new OpenAiErrorResult(e);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return ClientGone();
        }
    }

    internal static Usage ToUsage(TokenUsage u) =>
        new(u.PromptTokens, u.CompletionTokens, u.PromptTokens + u.CompletionTokens, new PromptTokensDetails(u.CachedTokens));

    /// <summary>response_format: absent / text = free text, json_object = JSON mode; json_schema and others are 400.</summary>
    private static OutputConstraint CheckResponseFormat(JsonElement? format)
    {
        if (format is { ValueKind: JsonValueKind.Object } f && f.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() is { } t && t != "text")
        {
            if (t == "json_object")
            {
                return OutputConstraint.JsonObject;
            }
            throw ApiException.BadRequest($"response_format type '{t}' is not supported yet (no schema-constrained decoding); use 'text' or 'json_object'.", "response_format", "unsupported_value");
        }
        return OutputConstraint.None;
    }

    private static async IAsyncEnumerable<object> StreamChat(Generation.Generation generation, string id, long created, string model, int n, bool includeUsage, Tokenizer tokenizer, bool asIds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var _ = generation;
        for (var i = 0; i < n; i++)
        {
            yield return new ChatCompletionChunk(id, created, model, [new ChatChunkChoice(i, new ChatDelta("assistant", ""), null, null)], null);
        }
        var usage = default(TokenUsage);
        await foreach (var output in generation.ReadAllAsync(cancellationToken))
        {
            usage = output.Usage;
            if (output.Text.Length > 0 || output.Logprobs is { Count: > 0 })
            {
                var logprobs = ChoiceBuilder.ChatLogprobs(output.Logprobs, tokenizer, asIds);
                yield return new ChatCompletionChunk(id, created, model, [new ChatChunkChoice(output.Index, new ChatDelta(null, output.Text), logprobs, null)], null);
            }
            if (output.FinishReason is { } finish && finish != FinishReasons.Abort)
            {
                yield return new ChatCompletionChunk(id, created, model, [new ChatChunkChoice(output.Index, new ChatDelta(null, null), null, finish)], null);
            }
        }
        if (includeUsage)
        {
            yield return new ChatCompletionChunk(id, created, model, [], ToUsage(usage));
        }
    }
}
