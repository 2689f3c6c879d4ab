namespace LlmSuite.Engine.Chat;

/// <summary>One message of a conversation, in the shape chat templates expect (OpenAI's roles and fields).</summary>
/// <param name="Role">system, user, assistant or tool.</param>
/// <param name="Content">The text (null for an assistant message that only calls tools).</param>
public sealed record ChatMessage(string Role, string? Content)
{
    /// <summary>Optional participant name.</summary>
    public string? Name { get; init; }

    /// <summary>Tool calls of an assistant message, each {id, type: "function", function: {name, arguments}}.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>>? ToolCalls { get; init; }

    /// <summary>The call a tool message answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>Reasoning text of an assistant message (Qwen3 templates render it).</summary>
    public string? ReasoningContent { get; init; }

    /// <summary>The dictionary the template sees.</summary>
    public Dictionary<string, object?> ToTemplateValue()
    {
        var value = new Dictionary<string, object?> { ["role"] = Role, ["content"] = Content };
        if (Name is not null)
        {
            value["name"] = Name;
        }
        if (ToolCalls is not null)
        {
            value["tool_calls"] = ToolCalls;
        }
        if (ToolCallId is not null)
        {
            value["tool_call_id"] = ToolCallId;
        }
        if (ReasoningContent is not null)
        {
            value["reasoning_content"] = ReasoningContent;
        }
        return value;
    }
}
