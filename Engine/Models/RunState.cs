namespace LlmSuite.Engine.Models;

/// <summary>
/// Preallocated activations for up to T = MaxTokens batch tokens (llama2.c RunState style); nothing is allocated per
/// forward step. d = hidden, h = heads, g = kv heads, e = head dim, f = intermediate.
/// </summary>
internal sealed class RunState
{
    public RunState(int maxTokens, int hidden, int heads, int kvHeads, int headDim, int intermediate)
    {
        MaxTokens = maxTokens;
        X = new float[maxTokens * hidden];
        Xb = new float[maxTokens * hidden];
        Xb2 = new float[maxTokens * hidden];
        Q = new float[maxTokens * heads * headDim];
        K = new float[maxTokens * kvHeads * headDim];
        V = new float[maxTokens * kvHeads * headDim];
        Att = new float[maxTokens * heads * headDim];
        Gate = new float[maxTokens * intermediate];
        Up = new float[maxTokens * intermediate];
        Hidden = new float[maxTokens * intermediate];
        LogitInput = new float[maxTokens * hidden];
    }

    public int MaxTokens { get; }
    public float[] X { get; }          // [T, d] residual stream
    public float[] Xb { get; }         // [T, d] normed input of a block
    public float[] Xb2 { get; }        // [T, d] block output before the residual add
    public float[] Q { get; }          // [T, h, e]
    public float[] K { get; }          // [T, g, e]
    public float[] V { get; }          // [T, g, e]
    public float[] Att { get; }        // [T, h, e] attention output
    public float[] Gate { get; }       // [T, f]
    public float[] Up { get; }         // [T, f]
    public float[] Hidden { get; }     // [T, f] silu(gate) * up
    public float[] LogitInput { get; } // [T, d] rows that produce logits
}
