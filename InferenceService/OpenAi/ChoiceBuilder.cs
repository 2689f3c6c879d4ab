using System.Text;
using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Serving;
using LlmSuite.Engine.Tokenizers;

namespace LlmSuite.InferenceService.OpenAi;

/// <summary>Accumulates the deltas of one sample into the text, finish reason and logprobs of a non-streamed choice.</summary>
internal sealed class ChoiceBuilder(Tokenizer tokenizer, bool asTokenIds)
{
    public StringBuilder Text { get; } = new();

    public string? FinishReason { get; private set; }

    public object? StopReason { get; private set; }

    public List<SampledToken>? Logprobs { get; private set; }

    public void Add(RequestOutput output)
    {
        Text.Append(output.Text);
        if (output.Logprobs is { } lp)
        {
            (Logprobs ??= []).AddRange(lp);
        }
        if (output.FinishReason is { } f)
        {
            FinishReason = f;
            StopReason = output.StopReason;
        }
    }

    /// <summary>Chat logprobs of a list of sampled tokens.</summary>
    public static ChatLogprobs? ChatLogprobs(IReadOnlyList<SampledToken>? tokens, Tokenizer tokenizer, bool asTokenIds)
    {
        if (tokens is null)
        {
            return null;
        }
        var content = new List<ChatTokenLogprob>(tokens.Count);
        foreach (var t in tokens)
        {
            var text = LogprobText.Of(tokenizer, t.TokenId, asTokenIds);
            var top = t.TopLogprobs?.Select(a =>
            {
                var s = LogprobText.Of(tokenizer, a.TokenId, asTokenIds);
                return new ChatTopLogprob(s, a.Logprob, LogprobText.Bytes(s));
            }).ToList() ?? [];
            content.Add(new ChatTokenLogprob(text, t.Logprob, LogprobText.Bytes(text), top));
        }
        return new ChatLogprobs(content);
    }

    /// <summary>Legacy completion logprobs; <paramref name="offset"/> is the text offset of the first token.</summary>
    public static CompletionLogprobs? CompletionLogprobs(IReadOnlyList<SampledToken>? tokens, Tokenizer tokenizer, bool asTokenIds, int offset)
    {
        if (tokens is null)
        {
            return null;
        }
        var texts = new List<string>(tokens.Count);
        var logprobs = new List<float?>(tokens.Count);
        var tops = new List<Dictionary<string, float>?>(tokens.Count);
        var offsets = new List<int>(tokens.Count);
        foreach (var t in tokens)
        {
            var text = LogprobText.Of(tokenizer, t.TokenId, asTokenIds);
            texts.Add(text);
            logprobs.Add(t.Logprob);
            var top = new Dictionary<string, float>(StringComparer.Ordinal);
            foreach (var a in t.TopLogprobs ?? [])
            {
                top.TryAdd(LogprobText.Of(tokenizer, a.TokenId, asTokenIds), a.Logprob);
            }
            tops.Add(top);
            offsets.Add(offset);
            offset += asTokenIds ? tokenizer.Decode([t.TokenId]).Length : text.Length;
        }
        return new CompletionLogprobs(texts, logprobs, tops, offsets);
    }

    public ChatLogprobs? ChatLogprobs() => ChatLogprobs(Logprobs, tokenizer, asTokenIds);
}
