using LlmSuite.Engine.Templates;

namespace LlmSuite.Engine.Chat;

/// <summary>Renders a conversation with the model's chat template and tokenizes it, as HF's apply_chat_template does.</summary>
public static class ChatPrompt
{
    /// <summary>
    /// The prompt text: the template rendered with <c>messages</c>, <c>tools</c>, <c>add_generation_prompt</c>,
    /// <c>bos_token</c>, <c>eos_token</c> and any extra variables (e.g. <c>enable_thinking</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has no chat template.</exception>
    /// <exception cref="TemplateException">The template raised an error (e.g. roles that do not alternate).</exception>
    public static string Render(
        ChatModel model,
        IReadOnlyList<ChatMessage> messages,
        bool addGenerationPrompt = true,
        IReadOnlyList<object?>? tools = null,
        IReadOnlyDictionary<string, object?>? extra = null,
        TimeProvider? clock = null)
    {
        var template = model.Template
            ?? throw new InvalidOperationException($"model '{model.Name}' has no chat template; use the completions API with a raw prompt");
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["messages"] = messages.Select(m => (object?)m.ToTemplateValue()).ToList(),
            ["add_generation_prompt"] = addGenerationPrompt,
            ["bos_token"] = model.BosToken ?? "",
            ["eos_token"] = model.EosToken ?? "",
        };
        if (tools is { Count: > 0 })
        {
            variables["tools"] = tools;
        }
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                variables[key] = value;
            }
        }
        return template.Render(variables, clock);
    }

    /// <summary>The prompt's token ids (the template already wrote any BOS text, so no special tokens are added).</summary>
    public static int[] Tokenize(ChatModel model, string prompt) => model.Tokenizer.Encode(prompt, addSpecialTokens: false);
}
