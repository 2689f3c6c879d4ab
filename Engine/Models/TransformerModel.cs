using System.Numerics.Tensors;
using LlmSuite.Engine.Formats;
using LlmSuite.Engine.KvCache;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Models;

/// <summary>
/// A loaded decoder-only transformer (Llama, Mistral, Qwen2, Qwen3) and its batched forward pass:
/// embed → per layer [RMSNorm → q/k/v (+bias) → (Qwen3 q/k norm) → RoPE → K/V to cache → causal GQA attention →
/// o-proj + residual → RMSNorm → SwiGLU MLP + residual] → final RMSNorm → LM head, with one MatMul per linear layer
/// for all tokens of the batch and logits only for the rows that need them.
/// </summary>
public sealed class TransformerModel : IDisposable
{
    private readonly TransformerWeights _w;
    private readonly RunState _s;
    private readonly RopeTable _rope;
    private readonly CausalAttention _attention;
    private readonly float _eps;

    internal TransformerModel(ModelConfig config, ArchitectureTraits architecture, TransformerWeights weights, ModelFiles files,
        IReadOnlyList<int> eosTokenIds, int maxBatchTokens, int maxContext)
    {
        Config = config;
        Architecture = architecture;
        Files = files;
        EosTokenIds = eosTokenIds;
        MaxBatchTokens = maxBatchTokens;
        MaxContext = maxContext;
        _w = weights;
        _eps = (float)config.RmsNormEps;
        _s = new RunState(maxBatchTokens, config.HiddenSize, config.NumHeads, config.NumKvHeads, config.HeadDim, config.IntermediateSize);
        _rope = new RopeTable(config.HeadDim, maxContext, config.RopeTheta, config.RopeScaling);
        _attention = new CausalAttention(config.NumHeads, config.NumKvHeads, config.HeadDim, maxBatchTokens);
    }

    /// <summary>Architecture hyper-parameters.</summary>
    public ModelConfig Config { get; }

    /// <summary>The architecture's quirks (biases, q/k norm, GGUF permutation).</summary>
    public ArchitectureTraits Architecture { get; }

    /// <summary>Tokenizer / chat template sources.</summary>
    public ModelFiles Files { get; }

    /// <summary>Stop token ids: config.json eos plus generation_config.json eos (GGUF: eos and eot).</summary>
    public IReadOnlyList<int> EosTokenIds { get; }

    /// <summary>Most tokens one <see cref="Forward"/> accepts.</summary>
    public int MaxBatchTokens { get; }

    /// <summary>Positions the model accepts: [0, MaxContext).</summary>
    public int MaxContext { get; }

    /// <summary>Vocabulary size (logits per row).</summary>
    public int VocabSize => Config.VocabSize;

    /// <summary>
    /// How the checkpoint stores the layer weights (the q projection's dtype), before any widening or quantization at
    /// load; with the loaded <see cref="WeightMatrix.Type"/> it decides the KV cache dtype <c>auto</c>.
    /// </summary>
    public TensorDType CheckpointDType { get; internal init; } = TensorDType.F32;

    /// <summary>Bytes of matrix weights streamed per decode step.</summary>
    public long WeightBytes => _w.ByteSize;

    /// <summary>The weights (for tests and benchmarks).</summary>
    public TransformerWeights Weights => _w;

    /// <summary>A contiguous K/V cache sized for this model, storing <paramref name="dtype"/> elements (default f32).</summary>
    public ContiguousKvCache CreateContiguousCache(int maxSequences, int? maxPositions = null, KvCacheDType dtype = KvCacheDType.F32) =>
        new(Config.NumLayers, maxSequences, Math.Min(maxPositions ?? MaxContext, MaxContext), Config.NumKvHeads, Config.HeadDim, dtype: dtype);

    /// <summary>
    /// Runs the batch: writes every token's K/V into <paramref name="cache"/> and fills <paramref name="logits"/> with
    /// <see cref="ForwardBatch.LogitRows"/> rows (per span the last token, or every token when AllLogits), in span order.
    /// Positions before a span's StartPosition must already be in the cache. Allocation free.
    /// </summary>
    public void Forward(ForwardBatch batch, IKvCache cache, Span<float> logits /*[batch.LogitRows, vocab]*/)
    {
        ModelConfig c = Config;
        int T = batch.TokenCount, d = c.HiddenSize, h = c.NumHeads, g = c.NumKvHeads, e = c.HeadDim, f = c.IntermediateSize, V = c.VocabSize;
        Validate(batch, cache, logits);
        int[] positions = batch.PositionArray, sequences = batch.SequenceArray;
        Span<float> x = _s.X.AsSpan(0, T * d);
        Span<float> xb = _s.Xb.AsSpan(0, T * d);
        Span<float> xb2 = _s.Xb2.AsSpan(0, T * d);
        Span<float> q = _s.Q.AsSpan(0, T * h * e);
        Span<float> k = _s.K.AsSpan(0, T * g * e);
        Span<float> v = _s.V.AsSpan(0, T * g * e);
        Span<float> att = _s.Att.AsSpan(0, T * h * e);
        Span<float> gate = _s.Gate.AsSpan(0, T * f);
        Span<float> up = _s.Up.AsSpan(0, T * f);
        Span<float> hidden = _s.Hidden.AsSpan(0, T * f);
        ReadOnlySpan<int> pos = positions.AsSpan(0, T);

        ReadOnlySpan<int> tokens = batch.Tokens;
        for (int t = 0; t < T; t++)
        {
            _w.Embedding.ReadRow(tokens[t], x.Slice(t * d, d));
        }

        _attention.Plan(batch);
        for (int l = 0; l < c.NumLayers; l++)
        {
            LayerWeights L = _w.Layers[l];
            // attention block
            RmsNorm.Forward(x, L.AttnNorm, _eps, xb);
            MatMul.Forward(xb, T, L.Wq, L.Bq, q, L.Wk, L.Bk, k, L.Wv, L.Bv, v);   // one parallel op for q, k and v
            if (L.QNorm is not null)
            {
                RmsNorm.Forward(q, L.QNorm, _eps, q);      // per head: rows of [e]
                RmsNorm.Forward(k, L.KNorm!, _eps, k);
            }
            _rope.Apply(q, pos, h);
            _rope.Apply(k, pos, g);
            for (int t = 0; t < T; t++)
            {
                cache.Write(l, sequences[t], positions[t], k.Slice(t * g * e, g * e), v.Slice(t * g * e, g * e));
            }
            _attention.Forward(_s.Q, cache, l, _s.Att);
            MatMul.Forward(att, T, L.Wo, L.Bo, xb2);
            TensorPrimitives.Add(x, xb2, x);
            // MLP block
            RmsNorm.Forward(x, L.FfnNorm, _eps, xb);
            MatMul.Forward(xb, T, L.Gate, ReadOnlySpan<float>.Empty, gate, L.Up, ReadOnlySpan<float>.Empty, up);
            Activations.SwiGlu(gate, up, hidden);
            MatMul.Forward(hidden, T, L.Down, ReadOnlySpan<float>.Empty, xb2);
            TensorPrimitives.Add(x, xb2, x);
        }

        // logits only for the rows that need them
        int rows = 0;
        Span<float> li = _s.LogitInput;
        foreach (SequenceSpan span in batch.Spans)
        {
            int first = span.AllLogits ? span.Start : span.Start + span.Length - 1;
            int count = span.AllLogits ? span.Length : 1;
            x.Slice(first * d, count * d).CopyTo(li.Slice(rows * d, count * d));
            rows += count;
        }
        Span<float> normed = li.Slice(0, rows * d);
        RmsNorm.Forward(normed, _w.FinalNorm, _eps, normed);
        MatMul.Forward(normed, rows, _w.LmHead, ReadOnlySpan<float>.Empty, logits.Slice(0, rows * V));
    }

    /// <summary>Frees the weights.</summary>
    public void Dispose()
    {
        _attention.Dispose();
        _w.Dispose();
    }

    private void Validate(ForwardBatch batch, IKvCache cache, Span<float> logits)
    {
        if (batch.TokenCount == 0)
        {
            throw new ArgumentException("the batch is empty", nameof(batch));
        }
        if (batch.TokenCount > MaxBatchTokens)
        {
            throw new ArgumentException($"the batch has {batch.TokenCount} tokens; this model was loaded for at most {MaxBatchTokens} (ModelLoadOptions.MaxBatchTokens)", nameof(batch));
        }
        if (cache.KvHeads != Config.NumKvHeads || cache.HeadDim != Config.HeadDim)
        {
            throw new ArgumentException($"the cache holds [{cache.KvHeads} kv heads, head dim {cache.HeadDim}] but the model needs [{Config.NumKvHeads}, {Config.HeadDim}]", nameof(cache));
        }
        if (logits.Length < (long)batch.LogitRows * Config.VocabSize)
        {
            throw new ArgumentException($"logits hold {logits.Length} floats; {batch.LogitRows} rows of vocab {Config.VocabSize} need {(long)batch.LogitRows * Config.VocabSize}", nameof(logits));
        }
        ReadOnlySpan<int> tokens = batch.Tokens;
        ReadOnlySpan<int> positions = batch.Positions;
        for (int t = 0; t < tokens.Length; t++)
        {
            if ((uint)tokens[t] >= (uint)Config.VocabSize)
            {
                throw new ArgumentOutOfRangeException(nameof(batch), $"token {tokens[t]} at batch index {t} is outside the vocabulary [0, {Config.VocabSize})");
            }
            if (positions[t] >= MaxContext)
            {
                throw new ArgumentOutOfRangeException(nameof(batch), $"position {positions[t]} at batch index {t} exceeds the model's context of {MaxContext} tokens");
            }
        }
    }
}
