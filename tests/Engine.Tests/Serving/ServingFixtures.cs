using LlmSuite.Engine.KvCache;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Serving;
using LlmSuite.Engine.Tokenizers;

namespace LlmSuite.Engine.Tests.Serving;

/// <summary>Models, tokenizer and drivers shared by the serving tests.</summary>
internal static class ServingFixtures
{
    /// <summary>The tiny reference Llama (vocab 256, context 256, EOS 2).</summary>
    public static TransformerModel TinyLlama(int maxBatchTokens = 256) =>
        ModelLoader.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "Models", "llama"), new ModelLoadOptions { MaxBatchTokens = maxBatchTokens });

    /// <summary>models/default/tokenizer.json (its first 256 ids decode the tiny model's output).</summary>
    public static Tokenizer DefaultTokenizer()
    {
        DirectoryInfo? dir = SuiteRoot(AppContext.BaseDirectory) ?? SuiteRoot(SourceDirectory());
        string path = Path.Combine(dir?.FullName ?? throw new InvalidOperationException($"no Suite.sln above {AppContext.BaseDirectory}"), "models", "default", "tokenizer.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing (it is committed with the repository)", path);
        }
        return Tokenizer.FromFile(path);
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? ".";

    private static DirectoryInfo? SuiteRoot(string start)
    {
        var dir = new DirectoryInfo(start);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Suite.sln")))
        {
            dir = dir.Parent;
        }
        return dir;
    }

    /// <summary>Greedy decode of one prompt alone with a contiguous cache of <paramref name="dtype"/>: the reference the engine must equal.</summary>
    public static int[] GreedyAlone(TransformerModel model, int[] prompt, int maxTokens, KvCacheDType dtype = KvCacheDType.F32)
    {
        var cache = model.CreateContiguousCache(1, dtype: dtype);
        var batch = new ForwardBatch(model.MaxBatchTokens, 1);
        float[] logits = new float[model.VocabSize];
        var output = new List<int>();
        batch.Add(0, prompt, 0);
        model.Forward(batch, cache, logits);
        int position = prompt.Length;
        while (true)
        {
            int best = 0;
            for (int i = 1; i < logits.Length; i++)
            {
                best = logits[i] > logits[best] ? i : best;
            }
            output.Add(best);
            if (output.Count == maxTokens)
            {
                return [.. output];
            }
            batch.Clear();
            batch.Add(0, [best], position++);
            model.Forward(batch, cache, logits);
        }
    }

    /// <summary>
    /// Feeds <paramref name="requests"/> to the engine <paramref name="initial"/> at first, then one more per step,
    /// and steps until all finish; returns every delta per request id.
    /// </summary>
    public static Dictionary<string, List<RequestOutput>> RunAll(LlmEngine engine, IReadOnlyList<EngineRequest> requests, int initial = int.MaxValue, int maxSteps = 100_000)
    {
        var outputs = requests.ToDictionary(r => r.RequestId, _ => new List<RequestOutput>());
        int next = 0;
        for (; next < Math.Min(initial, requests.Count); next++)
        {
            engine.AddRequest(requests[next]);
        }
        for (int step = 0; engine.HasWork || next < requests.Count; step++)
        {
            Assert.True(step < maxSteps, "the engine did not finish");
            if (next < requests.Count)
            {
                engine.AddRequest(requests[next++]);
            }
            foreach (RequestOutput o in engine.Step())
            {
                outputs[o.RequestId].Add(o);
            }
        }
        return outputs;
    }

    /// <summary>Token ids of sample <paramref name="index"/>.</summary>
    public static int[] Tokens(List<RequestOutput> deltas, int index = 0) => deltas.Where(d => d.Index == index).SelectMany(d => d.TokenIds).ToArray();

    /// <summary>Text of sample <paramref name="index"/>.</summary>
    public static string Text(List<RequestOutput> deltas, int index = 0) => string.Concat(deltas.Where(d => d.Index == index).Select(d => d.Text));
}
