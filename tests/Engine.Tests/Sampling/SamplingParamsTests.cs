using LlmSuite.Engine.Sampling;

namespace LlmSuite.Engine.Tests.Sampling;

public class SamplingParamsTests
{
    private const int Vocab = 100;

    public static TheoryData<SamplingParams, string> InvalidParams() => new()
    {
        { new SamplingParams { N = 0 }, "n" },
        { new SamplingParams { Temperature = -0.1f }, "temperature" },
        { new SamplingParams { Temperature = float.NaN }, "temperature" },
        { new SamplingParams { TopP = 0f }, "top_p" },
        { new SamplingParams { TopP = 1.01f }, "top_p" },
        { new SamplingParams { TopK = -2 }, "top_k" },
        { new SamplingParams { MinP = 1.5f }, "min_p" },
        { new SamplingParams { MinP = -0.1f }, "min_p" },
        { new SamplingParams { PresencePenalty = 2.5f }, "presence_penalty" },
        { new SamplingParams { FrequencyPenalty = -2.5f }, "frequency_penalty" },
        { new SamplingParams { RepetitionPenalty = 0f }, "repetition_penalty" },
        { new SamplingParams { LogitBias = new Dictionary<int, float> { [Vocab] = 1f } }, "logit_bias" },
        { new SamplingParams { LogitBias = new Dictionary<int, float> { [-1] = 1f } }, "logit_bias" },
        { new SamplingParams { LogitBias = new Dictionary<int, float> { [3] = 101f } }, "logit_bias" },
        { new SamplingParams { MaxTokens = 0 }, "max_tokens" },
        { new SamplingParams { MinTokens = -1 }, "min_tokens" },
        { new SamplingParams { MinTokens = 5, MaxTokens = 4 }, "min_tokens" },
        { new SamplingParams { Logprobs = 21 }, "logprobs" },
        { new SamplingParams { Logprobs = -1 }, "logprobs" },
        { new SamplingParams { Stop = ["ok", ""] }, "stop" },
        { new SamplingParams { StopTokenIds = [Vocab] }, "stop_token_ids" },
    };

    [Theory]
    [MemberData(nameof(InvalidParams))]
    public void Validate_OutOfRange_ThrowsNamingOpenAiParameter(SamplingParams p, string parameter)
    {
        var ex = Assert.Throws<SamplingParamsException>(() => p.Validate(Vocab));
        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains(parameter, ex.Message);
    }

    [Fact]
    public void Validate_BoundaryValues_Accepted()
    {
        new SamplingParams().Validate(Vocab);
        new SamplingParams
        {
            Temperature = 0f, TopP = 1f, TopK = -1, MinP = 1f, PresencePenalty = -2f, FrequencyPenalty = 2f,
            RepetitionPenalty = 0.01f, LogitBias = new Dictionary<int, float> { [0] = -100f, [Vocab - 1] = 100f },
            MaxTokens = 1, MinTokens = 1, Logprobs = 20, Stop = ["\n"], StopTokenIds = [0], Seed = long.MinValue,
        }.Validate(Vocab);
        new SamplingParams { Logprobs = 0, TopK = 0 }.Validate(Vocab);
    }

    [Fact]
    public void SequenceSampler_InvalidParams_ThrowsFromConstructor()
    {
        var ex = Assert.Throws<SamplingParamsException>(() => new SequenceSampler(new SamplingParams { TopP = 2f }, [], Vocab, new HashSet<int>()));
        Assert.Equal("top_p", ex.ParamName);
    }
}
