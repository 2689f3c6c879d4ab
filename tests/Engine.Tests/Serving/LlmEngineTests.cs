using System.Diagnostics.Metrics;
using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Serving;
using static LlmSuite.Engine.Tests.Serving.ServingFixtures;

namespace LlmSuite.Engine.Tests.Serving;

public class LlmEngineTests
{
    private static int[] Prompt(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => rng.Next(3, 256)).ToArray();
    }

    [Fact]
    public void Step_SeededSampling_SameTokensAloneAndInABatch()
    {
        using var model = TinyLlama();
        var p = new SamplingParams { Temperature = 0.9f, TopP = 0.95f, TopK = 50, Seed = 42, MaxTokens = 24, IgnoreEos = true };
        var target = new EngineRequest { RequestId = "target", PromptTokenIds = Prompt(30, 1), Sampling = p };
        int[] alone;
        using (var engine = new LlmEngine(model, null, new EngineOptions { NumBlocks = 200 }))
        {
            alone = Tokens(RunAll(engine, [target])["target"]);
        }
        var crowd = Enumerable.Range(0, 6).Select(i => new EngineRequest
        {
            RequestId = $"other{i}",
            PromptTokenIds = Prompt(10 + 7 * i, 100 + i),
            Sampling = new SamplingParams { Temperature = 1f, Seed = i, MaxTokens = 10 + i },
        }).Prepend(target).ToList();
        using (var engine = new LlmEngine(model, null, new EngineOptions { NumBlocks = 200, MaxNumBatchedTokens = 48 }))
        {
            Assert.Equal(alone, Tokens(RunAll(engine, crowd, initial: 3)["target"]));
        }
        using (var engine = new LlmEngine(model, null, new EngineOptions { NumBlocks = 200 }))
        {
            var other = target with { Sampling = p with { Seed = 43 } };
            Assert.NotEqual(alone, Tokens(RunAll(engine, [other])["target"]));
        }
    }

    [Fact]
    public void Step_StopStringSplitAcrossTokens_TextEndsBeforeIt()
    {
        using var model = TinyLlama();
        var tokenizer = DefaultTokenizer();
        var p = new SamplingParams { Temperature = 0f, MaxTokens = 60, IgnoreEos = true };
        var request = new EngineRequest { RequestId = "s", PromptTokenIds = Prompt(20, 5), Sampling = p };
        List<RequestOutput> free;
        using (var engine = new LlmEngine(model, tokenizer, new EngineOptions { NumBlocks = 64 }))
        {
            free = RunAll(engine, [request])["s"];
        }
        string full = Text(free);
        // a 2-char stop string across the boundary of two non-empty deltas in the middle
        int boundary = 0, chosen = -1;
        for (int i = 0; i < free.Count - 1; i++)
        {
            boundary += free[i].Text.Length;
            if (i >= free.Count / 3 && free[i].Text.Length > 0 && free[i + 1].Text.Length > 0)
            {
                chosen = boundary;
                break;
            }
        }
        Assert.True(chosen > 0, $"no usable token boundary in '{full}'");
        string stop = full.Substring(chosen - 1, 2);
        using (var engine = new LlmEngine(model, tokenizer, new EngineOptions { NumBlocks = 64 }))
        {
            var stopped = RunAll(engine, [request with { Sampling = p with { Stop = [stop] } }])["s"];
            Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], Text(stopped));
            Assert.Equal(FinishReasons.Stop, stopped[^1].FinishReason);
            Assert.Equal(stop, stopped[^1].StopReason);
            Assert.True(stopped[^1].Finished);
            Assert.Equal(engine.BlockManager.NumBlocks, engine.BlockManager.FreeBlocks);
        }
        // vLLM semantics: stop strings are not applied while the output has at most min_tokens tokens
        int before = full.IndexOf(stop, StringComparison.Ordinal), tokensThrough = 0;
        for (int seen = 0; seen < before + stop.Length; tokensThrough++)
        {
            seen += free[tokensThrough].Text.Length;
        }
        using (var engine = new LlmEngine(model, tokenizer, new EngineOptions { NumBlocks = 64 }))
        {
            var late = RunAll(engine, [request with { Sampling = p with { Stop = [stop], MinTokens = tokensThrough } }])["s"];
            int next = full.IndexOf(stop, before + 1, StringComparison.Ordinal);
            Assert.Equal(next < 0 ? full : full[..next], Text(late));
            Assert.Equal(next < 0 ? FinishReasons.Length : FinishReasons.Stop, late[^1].FinishReason);
        }
    }

    [Fact]
    public void Step_NGreaterThanOne_SamplesSharePromptBlocks()
    {
        using var model = TinyLlama();
        using var engine = new LlmEngine(model, null, new EngineOptions { NumBlocks = 64, BlockSize = 16 });
        var request = new EngineRequest
        {
            RequestId = "n4",
            PromptTokenIds = Prompt(40, 9),                 // 2 full blocks + 8 tokens
            Sampling = new SamplingParams { N = 4, Temperature = 1f, Seed = 5, MaxTokens = 6, IgnoreEos = true },
        };
        engine.AddRequest(request);
        var deltas = engine.Step().ToList();               // prefill; first token of every sample; fork
        Assert.Equal([0, 1, 2, 3], deltas.Select(d => d.Index).Order());
        Assert.Equal(4, engine.Scheduler.Running.Count);
        Assert.Equal(2, engine.BlockManager.SharedBlocks);
        int first = engine.Scheduler.Running[0].Blocks.Blocks[0];
        Assert.Equal(4, engine.BlockManager.RefCount(first));
        Assert.Equal(2 + 4, engine.BlockManager.UsedBlocks);   // shared prompt blocks + one private block each
        var all = new List<RequestOutput>(deltas);
        while (engine.HasWork)
        {
            all.AddRange(engine.Step());
        }
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(6, Tokens(all, i).Length);
        }
        Assert.Equal(24, all[^1].Usage.CompletionTokens);
        Assert.True(all[^1].Finished);
        Assert.Equal(0, engine.BlockManager.UsedBlocks);
        Assert.Equal(0, engine.BlockManager.SharedBlocks);
    }

    [Fact]
    public void Abort_MidGeneration_BlocksFreedAtOnceAndAbortDeltaNextStep()
    {
        using var model = TinyLlama();
        using var engine = new LlmEngine(model, null, new EngineOptions { NumBlocks = 64 });
        var p = new SamplingParams { Temperature = 0f, MaxTokens = 50, IgnoreEos = true };
        engine.AddRequest(new EngineRequest { RequestId = "a", PromptTokenIds = Prompt(40, 1), Sampling = p });
        engine.AddRequest(new EngineRequest { RequestId = "b", PromptTokenIds = Prompt(20, 2), Sampling = p });
        engine.Step();
        engine.Step();
        int bBlocks = engine.Scheduler.Running.Single(s => s.PromptLength == 20).Blocks.Count;
        Assert.True(engine.Abort("a"));
        Assert.Equal(bBlocks, engine.BlockManager.UsedBlocks);
        var next = engine.Step();
        RequestOutput abort = next.Single(o => o.RequestId == "a");
        Assert.Equal(FinishReasons.Abort, abort.FinishReason);
        Assert.True(abort.Finished);
        Assert.False(engine.Abort("a"));
        engine.BlockManager.CheckInvariants();
    }

    [Fact]
    public void AddRequest_PromptLongerThanContextOrCache_RejectedWithNumbers()
    {
        using var model = TinyLlama();
        using var engine = new LlmEngine(model, null, new EngineOptions { NumBlocks = 4, BlockSize = 16 });
        var tooLong = Assert.Throws<RequestRejectedException>(() => engine.AddRequest(new EngineRequest { RequestId = "x", PromptTokenIds = Prompt(300, 1) }));
        Assert.Contains("300", tooLong.Message);
        Assert.Contains("256", tooLong.Message);
        var tooBig = Assert.Throws<RequestRejectedException>(() => engine.AddRequest(new EngineRequest { RequestId = "y", PromptTokenIds = Prompt(100, 1) }));
        Assert.Contains("100", tooBig.Message);
        Assert.Contains("64 tokens", tooBig.Message);
        Assert.Throws<RequestRejectedException>(() => engine.AddRequest(new EngineRequest { RequestId = "z", PromptTokenIds = [1, 999] }));
        Assert.Equal(0, engine.UnfinishedRequests);
    }

    [Fact]
    public void Step_EosAndStopTokenIds_FinishWithStop()
    {
        using var model = TinyLlama();
        int[] prompt = Prompt(12, 3);
        int[] greedy = GreedyAlone(model, prompt, 8);
        using var engine = new LlmEngine(model, null, new EngineOptions { NumBlocks = 32 });
        var r = new EngineRequest { RequestId = "t", PromptTokenIds = prompt, Sampling = new SamplingParams { Temperature = 0f, MaxTokens = 8, StopTokenIds = [greedy[3]] } };
        var outputs = RunAll(engine, [r])["t"];
        int stopAt = Array.IndexOf(greedy, greedy[3]);
        Assert.Equal(greedy.Take(stopAt + 1), Tokens(outputs));
        Assert.Equal(FinishReasons.Stop, outputs[^1].FinishReason);
        Assert.Equal(greedy[3], outputs[^1].StopReason);
    }

    [Fact]
    public void Step_Metrics_VllmInstrumentsReported()
    {
        using var model = TinyLlama();
        var longs = new Dictionary<string, long>();
        var doubles = new Dictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == EngineMetrics.MeterName)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        static bool Ours(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var t in tags)
            {
                if (t.Key == "model_name" && (string?)t.Value == "metrics-test-model")
                {
                    return true;
                }
            }
            return false;
        }
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
        {
            if (!Ours(tags))
            {
                return;
            }
            lock (longs) { longs[i.Name] = longs.GetValueOrDefault(i.Name) + v; }
        });
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) =>
        {
            if (!Ours(tags))
            {
                return;
            }
            lock (doubles) { doubles[i.Name] = doubles.GetValueOrDefault(i.Name) + 1; }
        });
        listener.Start();
        var time = new ManualTime();
        using var engine = new LlmEngine(model, null, new EngineOptions { NumBlocks = 32, ModelName = "metrics-test-model", TimeProvider = time });
        var r = new EngineRequest { RequestId = "m", PromptTokenIds = Prompt(20, 4), Sampling = new SamplingParams { Temperature = 0f, MaxTokens = 5, IgnoreEos = true } };
        engine.AddRequest(r);
        while (engine.HasWork)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            engine.Step();
        }
        listener.RecordObservableInstruments();
        Assert.Equal(5, longs["vllm.generation_tokens"]);
        Assert.Equal(20, longs["vllm.prompt_tokens"]);
        Assert.Equal(1, longs["vllm.request_success"]);
        Assert.Equal(20, longs["vllm.prefix_cache_queries"]);
        Assert.Equal(1, doubles["vllm.time_to_first_token_seconds"]);
        Assert.Equal(4, doubles["vllm.inter_token_latency_seconds"]);
        Assert.Equal(1, doubles["vllm:e2e_request_latency_seconds"]);
        Assert.True(doubles.ContainsKey("vllm.kv_cache_usage_perc"));
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
