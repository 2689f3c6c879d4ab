using System.Text;
using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Sampling.Constraints;

namespace LlmSuite.Engine.Tests.Sampling.Constraints;

public sealed class JsonObjectConstraintTests
{
    // id 0 = EOS (no bytes), then text tokens
    private static readonly string[] Vocab = ["", "{", "}", "\"", "a", ":", "1", " ", "{\"", "\"}", "x", "[", "]", ",", "\":", "  ", "\n"];

    private static TokenByteTable Table() => TokenByteTable.FromBytes(Vocab.Select(Encoding.UTF8.GetBytes).ToArray());

    private static HashSet<int> Allowed(JsonObjectConstraint c)
    {
        var logits = new float[Vocab.Length];
        c.Mask(logits);
        return Enumerable.Range(0, logits.Length).Where(i => !float.IsNegativeInfinity(logits[i])).ToHashSet();
    }

    private static int Id(string text) => Array.IndexOf(Vocab, text);

    [Fact]
    public void Mask_AtStart_OnlyObjectOpenersAndWhitespace()
    {
        var c = new JsonObjectConstraint(Table(), [0]);

        Assert.Equal(new HashSet<int> { Id("{"), Id(" "), Id("{\""), Id("  "), Id("\n") }, Allowed(c));
    }

    [Fact]
    public void Mask_InsideKey_AllowsTextAndClosingQuotesButNotEos()
    {
        var c = new JsonObjectConstraint(Table(), [0]);
        c.Accept(Id("{\""));

        var allowed = Allowed(c);

        Assert.DoesNotContain(0, allowed);
        Assert.Contains(Id("a"), allowed);
        Assert.Contains(Id("\":"), allowed);
        Assert.Contains(Id("}"), allowed);        // a '}' inside a key is text
        Assert.DoesNotContain(Id("\n"), allowed); // raw control character
        Assert.DoesNotContain(Id("\"}"), allowed); // closing the key then '}' is invalid
    }

    [Fact]
    public void Mask_AfterCompleteObject_OnlyEos()
    {
        var c = new JsonObjectConstraint(Table(), [0]);
        foreach (var t in new[] { "{\"", "a", "\":", "1", "}" })
            c.Accept(Id(t));

        Assert.True(c.IsComplete);
        Assert.Equal(new HashSet<int> { 0 }, Allowed(c));
    }

    [Fact]
    public void Mask_AfterWhitespaceRun_NoMoreWhitespace()
    {
        var c = new JsonObjectConstraint(Table(), [0]);
        c.Accept(Id("  "));
        c.Accept(Id(" "));

        var allowed = Allowed(c);

        Assert.Contains(Id(" "), allowed);       // 4th byte
        Assert.DoesNotContain(Id("  "), allowed); // 5th byte
        c.Accept(Id(" "));
        Assert.DoesNotContain(Id(" "), Allowed(c));
    }

    [Fact]
    public void Constructor_NoTerminalInVocabulary_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new JsonObjectConstraint(Table(), [999]));
        Assert.Contains("JSON mode", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accept_MaskedToken_Throws()
    {
        var c = new JsonObjectConstraint(Table(), [0]);

        Assert.Throws<InvalidOperationException>(() => c.Accept(Id("a")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(7L)]
    [InlineData(11L)]
    public void SequenceSampler_RandomLogitsUnderConstraint_ProducesParseableObject(long? seed)
    {
        var table = Table();
        var c = new JsonObjectConstraint(table, [0]);
        var p = seed is null ? new SamplingParams { Temperature = 0f } : new SamplingParams { Temperature = 1f, Seed = seed };
        var sampler = new SequenceSampler(p, [], Vocab.Length, new HashSet<int> { 0 }, constraint: c);
        var rng = new Random((int)(seed ?? 3));
        var text = new StringBuilder();
        var logits = new float[Vocab.Length];
        for (var step = 0; step < 10_000; step++)
        {
            for (var i = 0; i < logits.Length; i++)
                logits[i] = (float)rng.NextDouble() * 4f;
            logits[0] += 8f;                        // the model would love to stop early
            var token = sampler.Sample(logits).TokenId;
            if (token == 0)
                break;
            text.Append(Vocab[token]);
        }

        Assert.True(c.IsComplete, text.ToString());
        Assert.Equal(System.Text.Json.JsonValueKind.Object, System.Text.Json.JsonDocument.Parse(text.ToString()).RootElement.ValueKind);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(40)]
    [InlineData(200)]
    public void Mask_TokenBudget_ObjectClosesWithinMaxTokens(int maxTokens)
    {
        var c = new JsonObjectConstraint(Table(), [0], maxTokens);
        var sampler = new SequenceSampler(new SamplingParams { Temperature = 1f, Seed = maxTokens }, [], Vocab.Length, new HashSet<int> { 0 }, constraint: c);
        var rng = new Random(maxTokens);
        var text = new StringBuilder();
        var logits = new float[Vocab.Length];
        var count = 0;
        while (count < maxTokens)
        {
            for (var i = 0; i < logits.Length; i++)
                logits[i] = (float)rng.NextDouble();
            logits[Id("[")] += 6f;   // the model would love to nest forever
            logits[Id("a")] += 6f;   // and to write long strings
            var token = sampler.Sample(logits).TokenId;
            count++;
            if (token == 0)
                break;
            text.Append(Vocab[token]);
        }

        Assert.True(c.IsComplete, text.ToString());
        Assert.Equal(System.Text.Json.JsonValueKind.Object, System.Text.Json.JsonDocument.Parse(text.ToString()).RootElement.ValueKind);
    }
}
