using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Serving;
using static LlmSuite.Engine.Tests.Serving.ServingFixtures;

namespace LlmSuite.Engine.Tests.Serving;

/// <summary>Acceptance: greedy outputs under continuous batching equal each request decoded alone.</summary>
public class BatchedEqualsAloneTests
{
    private static List<EngineRequest> Requests(int seed, int count = 32)
    {
        var rng = new Random(seed);
        int[] shared = Enumerable.Range(0, 48).Select(_ => rng.Next(3, 256)).ToArray();
        var list = new List<EngineRequest>();
        for (int i = 0; i < count; i++)
        {
            int len = rng.Next(5, 120);
            int[] prompt = i % 2 == 0 && len > 48
                ? [.. shared, .. Enumerable.Range(0, len - 48).Select(_ => rng.Next(3, 256))]
                : Enumerable.Range(0, len).Select(_ => rng.Next(3, 256)).ToArray();
            list.Add(new EngineRequest
            {
                RequestId = $"r{i}",
                PromptTokenIds = prompt,
                Sampling = new SamplingParams { Temperature = 0f, MaxTokens = rng.Next(1, 40), IgnoreEos = true },
            });
        }
        return list;
    }

    [Theory]
    [InlineData("continuous", 256, 1000, true, "auto")]
    [InlineData("chunked-prefill", 32, 1000, true, "auto")]
    [InlineData("no-prefix-cache", 64, 1000, false, "auto")]
    [InlineData("tiny-kv-preemption", 64, 20, true, "auto")]
    [InlineData("bf16-kv-chunked-prefill", 32, 1000, true, "bf16")]
    [InlineData("bf16-kv-preemption", 64, 20, true, "bf16")]
    public void Greedy_32MixedRequests_EqualsEachAlone(string name, int maxBatchedTokens, int blocks, bool prefixCaching, string kvCacheDType)
    {
        using var model = TinyLlama();
        List<EngineRequest> requests = Requests(seed: 11);
        using var engine = new LlmEngine(model, null, new EngineOptions
        {
            NumBlocks = blocks,
            MaxNumBatchedTokens = maxBatchedTokens,
            MaxNumSeqs = 16,
            EnablePrefixCaching = prefixCaching,
            KvCacheDType = kvCacheDType,
        });
        var outputs = RunAll(engine, requests, initial: 8);
        foreach (EngineRequest r in requests)
        {
            int[] expected = GreedyAlone(model, [.. r.PromptTokenIds], r.Sampling.MaxTokens!.Value, engine.Cache.DType);
            Assert.True(expected.SequenceEqual(Tokens(outputs[r.RequestId])), $"{name}: request {r.RequestId} differs from its unbatched decode");
            RequestOutput last = outputs[r.RequestId][^1];
            Assert.True(last.Finished);
            Assert.Equal(FinishReasons.Length, last.FinishReason);
            Assert.Equal(new TokenUsage(r.PromptTokenIds.Count, expected.Length, last.Usage.CachedTokens), last.Usage);
        }
        Assert.Equal(engine.BlockManager.NumBlocks, engine.BlockManager.FreeBlocks);
        engine.BlockManager.CheckInvariants();
        if (blocks == 20)
        {
            Assert.True(engine.Scheduler.NumPreemptions > 0, "a 20-block cache must force preemptions");
        }
        if (prefixCaching)
        {
            Assert.True(engine.BlockManager.PrefixCacheHits >= 48, $"{name}: the shared 48-token prefix should hit the cache");
        }
        else
        {
            Assert.Equal(0, engine.BlockManager.PrefixCacheHits);
        }
    }
}
