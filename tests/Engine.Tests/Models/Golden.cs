using System.Text.Json;

namespace LlmSuite.Engine.Tests.Models;

/// <summary>Golden outputs written by scripts/reference/make_model_goldens.py (PyTorch fp32 reference).</summary>
internal sealed class Golden
{
    public required int[] Prompt { get; init; }
    public required int[] Greedy { get; init; }
    public required float[] GreedyTopLogit { get; init; }
    public required float[] Logits { get; init; }   // [prompt, vocab]
    public required int Vocab { get; init; }
    public required double MinTop2Margin { get; init; }

    public static string Dir(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "Models", name);

    public static Golden Load(string name)
    {
        string dir = Dir(name);
        using JsonDocument d = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "golden.json")));
        JsonElement r = d.RootElement;
        byte[] raw = File.ReadAllBytes(Path.Combine(dir, "logits.bin"));
        float[] logits = new float[raw.Length / 4];
        Buffer.BlockCopy(raw, 0, logits, 0, raw.Length);
        return new Golden
        {
            Prompt = r.GetProperty("prompt").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            Greedy = r.GetProperty("greedy").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            GreedyTopLogit = r.GetProperty("greedy_top_logit").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray(),
            Logits = logits,
            Vocab = r.GetProperty("logits_shape")[1].GetInt32(),
            MinTop2Margin = r.GetProperty("min_top2_margin").GetDouble(),
        };
    }

    /// <summary>The error norm used by every reference test: max |a - b| / max |ref|.</summary>
    public static double RelativeMaxError(ReadOnlySpan<float> actual, ReadOnlySpan<float> reference)
    {
        Assert.Equal(reference.Length, actual.Length);
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs((double)actual[i] - reference[i]));
            maxRef = Math.Max(maxRef, Math.Abs((double)reference[i]));
        }
        return maxDiff / maxRef;
    }
}
