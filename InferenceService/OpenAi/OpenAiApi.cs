using LlmSuite.Engine.Chat;
using LlmSuite.InferenceService.Generation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmSuite.InferenceService.OpenAi;

/// <summary>
/// The OpenAI-compatible API (as vLLM serves it): <c>/v1/chat/completions</c>, <c>/v1/completions</c>,
/// <c>/v1/models</c>, plus vLLM's <c>/tokenize</c> and <c>/detokenize</c>. Errors are OpenAI's error JSON.
/// </summary>
public static partial class OpenAiApi
{
    /// <summary>Maps the routes.</summary>
    public static RouteGroupBuilder MapOpenAiApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("OpenAI");
        v1.MapPost("/chat/completions", CreateChatCompletion).WithName("CreateChatCompletion");
        v1.MapPost("/completions", CreateCompletion).WithName("CreateCompletion");
        v1.MapGet("/models", ListModels).WithName("ListModels");
        v1.MapGet("/models/{**id}", GetModel).WithName("GetModel");
        v1.MapDelete("/requests/{requestId}", AbortRequest).WithName("AbortRequest");
        app.MapPost("/tokenize", Tokenize).WithTags("OpenAI").WithName("Tokenize");
        app.MapPost("/detokenize", Detokenize).WithTags("OpenAI").WithName("Detokenize");
        return v1;
    }

    /// <summary>GET /v1/models: every servable model.</summary>
    public static JsonHttpResult<ModelList> ListModels([AsParameters] InferenceServices services) =>
        TypedResults.Json(new ModelList([.. services.Registry.List().Select(e => Card(e, services))]), OpenAiJson.Options);

    /// <summary>GET /v1/models/{id}.</summary>
    public static Results<JsonHttpResult<ModelCard>, OpenAiErrorResult> GetModel(string id, [AsParameters] InferenceServices services) =>
        services.Registry.Find(id) is { } entry
            ? TypedResults.Json(Card(entry, services), OpenAiJson.Options)
            : new OpenAiErrorResult(ApiException.ModelNotFound(id));

    /// <summary>POST /tokenize: the token ids of a prompt or of a rendered conversation.</summary>
    public static async Task<Results<JsonHttpResult<TokenizeResponse>, OpenAiErrorResult>> Tokenize(HttpContext http, [AsParameters] InferenceServices services)
    {
        try
        {
            var request = await OpenAiJson.ReadAsync<TokenizeRequest>(http);
            var model = await services.Generator.ResolveAsync(request.Model, http.RequestAborted);
            int[] ids;
            if (request.Messages is not null)
            {
                var prompt = RenderChat(model.Chat, ChatMessages.Parse(request.Messages), request.AddGenerationPrompt ?? true, null, null);
                ids = ChatPrompt.Tokenize(model.Chat, prompt);
            }
            else if (request.Prompt is not null)
            {
                ids = model.Chat.Tokenizer.Encode(request.Prompt, addSpecialTokens: request.AddSpecialTokens ?? true);
            }
            else
            {
                throw ApiException.BadRequest("Give 'prompt' (a string) or 'messages'.", "prompt");
            }
            var strs = request.ReturnTokenStrs == true ? ids.Select(i => model.Chat.Tokenizer.IdToToken(i) ?? "").ToList() : null;
            return TypedResults.Json(new TokenizeResponse(ids.Length, model.MaxContext, ids, strs), OpenAiJson.Options);
        }
        catch (ApiException e)
        {
            return new OpenAiErrorResult(e);
        }
    }

    /// <summary>POST /detokenize: the text of token ids.</summary>
    public static async Task<Results<JsonHttpResult<DetokenizeResponse>, OpenAiErrorResult>> Detokenize(HttpContext http, [AsParameters] InferenceServices services)
    {
        try
        {
            var request = await OpenAiJson.ReadAsync<DetokenizeRequest>(http);
            var model = await services.Generator.ResolveAsync(request.Model, http.RequestAborted);
            var tokens = request.Tokens ?? throw ApiException.BadRequest("'tokens' (an array of token ids) is required.", "tokens");
            var vocab = model.Chat.Model.VocabSize;
            for (var i = 0; i < tokens.Count; i++)
            {
                if ((uint)tokens[i] >= (uint)vocab)
                {
                    throw ApiException.BadRequest($"tokens[{i}] = {tokens[i]} is outside the vocabulary [0, {vocab}).", "tokens");
                }
            }
            return TypedResults.Json(new DetokenizeResponse(model.Chat.Tokenizer.Decode([.. tokens])), OpenAiJson.Options);
        }
        catch (ApiException e)
        {
            return new OpenAiErrorResult(e);
        }
    }

    private static ModelCard Card(Models.ModelEntry entry, InferenceServices services) =>
        new(entry.Name, entry.ModifiedAt.ToUnixTimeSeconds(), "llmsuite", entry.Path, services.Registry.FindLoaded(entry.Name)?.MaxContext);

    /// <summary>The chat template applied; template errors (e.g. roles that do not alternate) become 400 on 'messages'.</summary>
    internal static string RenderChat(ChatModel chat, IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, IReadOnlyList<object?>? tools, IReadOnlyDictionary<string, object?>? extra)
    {
        if (chat.Template is null)
        {
            throw ApiException.BadRequest($"Model '{chat.Name}' has no chat template; use /v1/completions with a raw prompt.", "messages", "no_chat_template");
        }
        try
        {
            return ChatPrompt.Render(chat, messages, addGenerationPrompt, tools, extra);
        }
        catch (Engine.Templates.TemplateException e)
        {
            throw ApiException.BadRequest($"The chat template of '{chat.Name}' rejected the messages: {e.Message}", "messages", "template_error");
        }
    }

    /// <summary>An aborted (client gone) response: nothing is written.</summary>
    private static OpenAiErrorResult ClientGone() => new(new ApiException(499, "client closed the request"));
}
