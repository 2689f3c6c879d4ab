using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Models;

/// <summary>
/// Causal grouped-query attention over an <see cref="IKvCache"/>: every (token, head) pair of the batch attends to
/// its sequence's cached positions [0, pos], read block by block with an online (running-max) softmax, so the same
/// code serves prefill, decode and mixed batches and a paged cache. Parallel over (token, head) on the WorkerPool.
/// </summary>
internal sealed class CausalAttention : IDisposable
{
    private const int MaxScratch = 512;
    private GCHandle _self;
    private readonly int _heads, _kvHeads, _headDim;
    private readonly float _scale;

    // per call
    private float[] _q = Array.Empty<float>();    // [T, h, e]
    private float[] _out = Array.Empty<float>();  // [T, h, e]
    private int[] _positions = Array.Empty<int>();
    private int[] _sequences = Array.Empty<int>();
    private IKvCache? _cache;
    private int _layer;

    public CausalAttention(int heads, int kvHeads, int headDim)
    {
        if (headDim > MaxScratch)
        {
            throw new NotSupportedException($"head_dim {headDim} exceeds the attention kernel's limit of {MaxScratch}");
        }
        _heads = heads;
        _kvHeads = kvHeads;
        _headDim = headDim;
        _scale = 1f / MathF.Sqrt(headDim);
        _self = GCHandle.Alloc(this);
    }

    /// <summary>out[t, head] = softmax(q·Kᵀ / sqrt(e)) · V over positions [0, positions[t]] of sequences[t].</summary>
    public void Forward(float[] q /*[T, h, e]*/, int tokens, int[] positions /*[T]*/, int[] sequences /*[T]*/, IKvCache cache, int layer, float[] output /*[T, h, e]*/)
    {
        if (cache.BlockSize > MaxScratch)
        {
            throw new NotSupportedException($"KV cache block size {cache.BlockSize} exceeds the attention kernel's limit of {MaxScratch}");
        }
        _q = q;
        _out = output;
        _positions = positions;
        _sequences = sequences;
        _cache = cache;
        _layer = layer;
        var job = new Job { Self = GCHandle.ToIntPtr(_self) };
        WorkerPool.For(tokens * _heads, ref job);
        _cache = null;
    }

    public void Dispose()
    {
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    private void Run(int start, int end)
    {
        IKvCache cache = _cache!;
        int e = _headDim, g = _kvHeads, group = _heads / _kvHeads, blockSize = cache.BlockSize;
        Span<float> scores = stackalloc float[blockSize];
        Span<float> acc = stackalloc float[e];
        for (int item = start; item < end; item++)
        {
            int t = item / _heads, head = item % _heads, kvHead = head / group;
            int pos = _positions[t], seq = _sequences[t];
            ReadOnlySpan<float> q = _q.AsSpan(item * e, e);   // item = t * heads + head
            acc.Clear();
            float runningMax = float.NegativeInfinity, runningSum = 0f;
            for (int block = 0; block * blockSize <= pos; block++)
            {
                ReadOnlySpan<float> keys = cache.Keys(_layer, seq, block);     // [B, g, e]
                ReadOnlySpan<float> values = cache.Values(_layer, seq, block); // [B, g, e]
                int n = Math.Min(blockSize, pos + 1 - block * blockSize);
                Span<float> s = scores.Slice(0, n);
                for (int j = 0; j < n; j++)
                {
                    s[j] = TensorPrimitives.Dot(q, keys.Slice((j * g + kvHead) * e, e)) * _scale;
                }
                float newMax = Math.Max(runningMax, TensorPrimitives.Max(s));
                float correction = MathF.Exp(runningMax - newMax);   // 0 on the first block
                runningSum *= correction;
                TensorPrimitives.Multiply(acc, correction, acc);
                for (int j = 0; j < n; j++)
                {
                    float p = MathF.Exp(s[j] - newMax);
                    runningSum += p;
                    TensorPrimitives.MultiplyAdd(values.Slice((j * g + kvHead) * e, e), p, acc, acc);
                }
                runningMax = newMax;
            }
            TensorPrimitives.Divide(acc, runningSum, _out.AsSpan(item * e, e));
        }
    }

    private struct Job : IParallelJob
    {
        public nint Self;

        public readonly void Execute(int start, int end) => ((CausalAttention)GCHandle.FromIntPtr(Self).Target!).Run(start, end);
    }
}
