using LlmSuite.Engine.Models;
using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Serving;
using static LlmSuite.Engine.Tests.Serving.ServingFixtures;

namespace LlmSuite.Engine.Tests.Serving;

public class EngineHostTests
{
    private static EngineRequest Request(string id, int promptLength, int maxTokens) => new()
    {
        RequestId = id,
        PromptTokenIds = Enumerable.Range(3, promptLength).Select(i => i % 250 + 3).ToArray(),
        Sampling = new SamplingParams { Temperature = 0f, MaxTokens = maxTokens, IgnoreEos = true },
    };

    [Fact]
    public async Task StreamAsync_ConcurrentRequests_AllCompleteWithUsage()
    {
        using var model = TinyLlama();
        using var host = new EngineHost(new LlmEngine(model, null, new EngineOptions { NumBlocks = 64 }));
        var tasks = Enumerable.Range(0, 5).Select(async i =>
        {
            var tokens = new List<int>();
            RequestOutput? last = null;
            await foreach (RequestOutput o in host.StreamAsync(Request($"h{i}", 10 + i, 8 + i)))
            {
                tokens.AddRange(o.TokenIds);
                last = o;
            }
            return (i, tokens, last!);
        }).ToArray();
        foreach (var (i, tokens, last) in await Task.WhenAll(tasks))
        {
            Assert.Equal(GreedyAlone(model, [.. Request("x", 10 + i, 1).PromptTokenIds], 8 + i), tokens);
            Assert.True(last.Finished);
            Assert.Equal(8 + i, last.Usage.CompletionTokens);
        }
    }

    [Fact]
    public async Task Submit_Cancelled_AbortDeltaAndBlocksFreed()
    {
        // the bundled model with 450 tokens to go: seconds of decoding, so the cancel always lands mid-generation (the
        // tiny model's 200 tokens once finished with "length" while a loaded CI machine kept this thread waiting)
        using var model = ModelLoader.Load(Path.Combine(Tokenizers.TokenizerFixtures.RepoRootPath, "models", "default"), new ModelLoadOptions { MaxBatchTokens = 256 });
        var engine = new LlmEngine(model, null, new EngineOptions { NumBlocks = 64 });
        using var host = new EngineHost(engine);
        using var cts = new CancellationTokenSource();
        var reader = host.Submit(Request("c", 30, 450), cts.Token);
        RequestOutput first = await reader.ReadAsync();
        Assert.Null(first.FinishReason);
        cts.Cancel();
        RequestOutput last = first;
        await foreach (RequestOutput o in reader.ReadAllAsync())
        {
            last = o;
        }
        Assert.Equal(FinishReasons.Abort, last.FinishReason);
        Assert.True(last.Finished);
        Assert.True(last.Usage.CompletionTokens < 450);
        host.Dispose();
        Assert.Equal(0, engine.BlockManager.UsedBlocks);
        Assert.Equal(0, engine.UnfinishedRequests);
    }

    [Fact]
    public void Submit_TooLongPrompt_ThrowsSynchronously()
    {
        using var model = TinyLlama();
        using var host = new EngineHost(new LlmEngine(model, null, new EngineOptions { NumBlocks = 64 }));
        var e = Assert.Throws<RequestRejectedException>(() => host.Submit(Request("long", 400, 1)));
        Assert.Contains("400", e.Message);
    }
}
