using System.Text.Json;
using LlmSuite.Engine.Chat;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Tests.Tokenizers;
using Xunit.Abstractions;

namespace LlmSuite.Engine.Tests.Models;

/// <summary>
/// The bundled model (models/default) against PyTorch's reference.json (20 chat prompts: prompt text and ids, greedy
/// continuations, top-5 logits of the first generated token), through the whole C# path: chat template, tokenizer,
/// weights, forward pass. F32 must reproduce PyTorch; Q8_0 must keep the greedy continuations on ≥ 90% of prompts.
/// </summary>
public sealed class BundledModelTests : IClassFixture<BundledModelTests.Reference>
{
    /// <summary>Q8_0 first-token logits: max |q8 − ref| / max |ref| over the top-5 ids. Q8_0 rounds each weight to
    /// 1/254 of its block's range and decode quantizes activations too, so a few percent is expected; a wrong kernel
    /// gives O(1).</summary>
    private const double Q8LogitTolerance = 0.05;

    private readonly Reference _reference;
    private readonly ITestOutputHelper _output;

    public BundledModelTests(Reference reference, ITestOutputHelper output)
    {
        _reference = reference;
        _output = output;
    }

    public sealed class Reference
    {
        public Reference()
        {
            var dir = Path.Combine(TokenizerFixtures.RepoRootPath, "models", "default");
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "reference.json")));
            ImEnd = doc.RootElement.GetProperty("im_end_id").GetInt32();
            Cases = [.. doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(
                [.. c.GetProperty("messages").EnumerateArray().Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()))],
                c.GetProperty("prompt").GetString()!,
                [.. c.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32())],
                [.. c.GetProperty("greedy_ids").EnumerateArray().Select(e => e.GetInt32())],
                [.. c.GetProperty("top5_ids").EnumerateArray().Select(e => e.GetInt32())],
                [.. c.GetProperty("top5_logits").EnumerateArray().Select(e => e.GetDouble())]))];
            F32 = ChatModel.Load(dir);
            Q8 = ChatModel.Load(dir, new ModelLoadOptions { Quantize = "q8_0" });
        }

        public int ImEnd { get; }

        public IReadOnlyList<Case> Cases { get; }

        public ChatModel F32 { get; }

        public ChatModel Q8 { get; }
    }

    public sealed record Case(ChatMessage[] Messages, string Prompt, int[] PromptIds, int[] GreedyIds, int[] Top5Ids, double[] Top5Logits);

    /// <summary>Greedy decoding like the reference: up to 32 new tokens, stopping after &lt;|im_end|&gt; (included).</summary>
    private static (List<int> Tokens, float[] FirstLogits) Greedy(TransformerModel model, int[] prompt, int imEnd)
    {
        var cache = model.CreateContiguousCache(1, prompt.Length + 33);
        var batch = new ForwardBatch(model.MaxBatchTokens, 1);
        var logits = new float[model.VocabSize]; // [1, vocab]
        batch.Add(0, prompt, 0);
        model.Forward(batch, cache, logits);
        var first = (float[])logits.Clone();
        var tokens = new List<int>();
        for (var i = 0; i < 32; i++)
        {
            var next = ModelRunner.ArgMax(logits);
            tokens.Add(next);
            if (next == imEnd)
            {
                break;
            }
            batch.Clear();
            batch.Add(0, [next], prompt.Length + i);
            model.Forward(batch, cache, logits);
        }
        return (tokens, first);
    }

    [Fact]
    public void ChatPrompt_ReferenceConversations_SameTextAndIdsAsPython()
    {
        Assert.Equal(20, _reference.Cases.Count);
        foreach (var c in _reference.Cases)
        {
            var prompt = ChatPrompt.Render(_reference.F32, c.Messages);
            Assert.Equal(c.Prompt, prompt);
            Assert.Equal(c.PromptIds, ChatPrompt.Tokenize(_reference.F32, prompt));
        }
    }

    [Fact]
    public void Greedy_F32_ReproducesPyTorchOnEveryPrompt()
    {
        foreach (var c in _reference.Cases)
        {
            var (tokens, first) = Greedy(_reference.F32.Model, c.PromptIds, _reference.ImEnd);
            Assert.Equal(c.GreedyIds, tokens);
            var scale = c.Top5Logits.Max(Math.Abs);
            for (var i = 0; i < 5; i++)
            {
                Assert.True(Math.Abs(first[c.Top5Ids[i]] - c.Top5Logits[i]) <= 1e-4 * scale,
                    $"logit of {c.Top5Ids[i]}: {first[c.Top5Ids[i]]} vs PyTorch {c.Top5Logits[i]}");
            }
        }
    }

    [Fact]
    public void Greedy_Q8_0_SameContinuationOnAtLeast90PercentAndLogitsWithinTolerance()
    {
        var same = 0;
        var worst = 0.0;
        foreach (var c in _reference.Cases)
        {
            var (tokens, first) = Greedy(_reference.Q8.Model, c.PromptIds, _reference.ImEnd);
            same += tokens.SequenceEqual(c.GreedyIds) ? 1 : 0;
            var scale = c.Top5Logits.Max(Math.Abs);
            for (var i = 0; i < 5; i++)
            {
                worst = Math.Max(worst, Math.Abs(first[c.Top5Ids[i]] - c.Top5Logits[i]) / scale);
            }
        }
        _output.WriteLine($"Q8_0: same greedy continuation on {same}/20 prompts; worst first-token logit error {worst:P2} of the largest");
        Assert.True(same >= 18, $"Q8_0 kept the greedy continuation on {same}/20 prompts");
        Assert.True(worst <= Q8LogitTolerance, $"Q8_0 first-token logits differ by {worst:P2} of the largest (tolerance {Q8LogitTolerance:P0})");
    }
}
