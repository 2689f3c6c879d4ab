using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Scheduling;
using LlmSuite.Engine.Serving;
using static LlmSuite.Engine.Tests.Serving.ServingFixtures;

namespace LlmSuite.Engine.Tests.Serving;

/// <summary>Acceptance: block invariants through the real engine under random submit / abort / step operations.</summary>
public class EngineInvariantTests
{
    [Fact]
    public void RandomSubmitAbortComplete_ThousandOperations_BlocksConsistentAndAllFreeAtEnd()
    {
        using var model = TinyLlama();
        using var engine = new LlmEngine(model, null, new EngineOptions { NumBlocks = 20, BlockSize = 8, MaxNumSeqs = 8, MaxNumBatchedTokens = 48 });
        var rng = new Random(77);
        int[] shared = Enumerable.Range(0, 24).Select(_ => rng.Next(3, 256)).ToArray();
        var live = new HashSet<string>();
        int submitted = 0, aborted = 0, completed = 0;
        for (int op = 0; op < 1000; op++)
        {
            int r = rng.Next(10);
            if (r < 2)
            {
                int len = rng.Next(1, 60);
                int[] prompt = rng.Next(2) == 0
                    ? [.. shared.Take(Math.Min(len, shared.Length)), .. Enumerable.Range(0, Math.Max(0, len - shared.Length)).Select(_ => rng.Next(3, 256))]
                    : Enumerable.Range(0, len).Select(_ => rng.Next(3, 256)).ToArray();
                string id = $"q{op}";
                engine.AddRequest(new EngineRequest
                {
                    RequestId = id,
                    PromptTokenIds = prompt,
                    Priority = rng.Next(2),
                    Sampling = new SamplingParams { N = rng.Next(1, 4), Temperature = rng.Next(2) == 0 ? 0f : 0.8f, Seed = op, MaxTokens = rng.Next(1, 40) },
                });
                live.Add(id);
                submitted++;
            }
            else if (r < 3 && live.Count > 0)
            {
                string id = live.ElementAt(rng.Next(live.Count));
                Assert.True(engine.Abort(id));
                live.Remove(id);
                aborted++;
            }
            else
            {
                foreach (RequestOutput o in engine.Step())
                {
                    if (o.Finished && o.FinishReason != FinishReasons.Abort)
                    {
                        Assert.True(live.Remove(o.RequestId));
                        completed++;
                    }
                }
            }
            Check(engine);
        }
        while (engine.HasWork)
        {
            engine.Step();
            Check(engine);
        }
        Assert.True(submitted > 150 && aborted > 50 && completed > 50, $"submitted {submitted}, aborted {aborted}, completed {completed}");
        Assert.True(engine.Scheduler.NumPreemptions > 0, "a 20-block cache must force preemptions");
        Assert.Equal(engine.BlockManager.NumBlocks, engine.BlockManager.FreeBlocks);
        for (int b = 0; b < engine.BlockManager.NumBlocks; b++)
        {
            Assert.Equal(0, engine.BlockManager.RefCount(b));
        }
        Assert.Equal(0, engine.UnfinishedRequests);
    }

    /// <summary>Ref counts equal the running tables holding a block; a block held twice is a full computed prefix block at the same index.</summary>
    private static void Check(LlmEngine engine)
    {
        var bm = engine.BlockManager;
        bm.CheckInvariants();
        var holders = new Dictionary<int, List<(Sequence Seq, int Index)>>();
        foreach (Sequence seq in engine.Scheduler.Running)
        {
            for (int i = 0; i < seq.Blocks.Count; i++)
            {
                int b = seq.Blocks.Blocks[i];
                if (!holders.TryGetValue(b, out var list))
                {
                    holders[b] = list = new();
                }
                list.Add((seq, i));
            }
        }
        foreach (Sequence seq in engine.Scheduler.Waiting)
        {
            Assert.Equal(0, seq.Blocks.Count);
        }
        for (int b = 0; b < bm.NumBlocks; b++)
        {
            var list = holders.GetValueOrDefault(b);
            Assert.Equal(list?.Count ?? 0, bm.RefCount(b));
            if (list is { Count: > 1 })
            {
                foreach (var (seq, index) in list)
                {
                    Assert.True(index == list[0].Index && index < seq.Blocks.HashedBlocks,
                        $"block {b} is shared but is not a full computed prefix block of sequence {seq.Id} (index {index}, hashed {seq.Blocks.HashedBlocks})");
                }
            }
        }
    }
}
