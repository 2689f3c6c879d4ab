namespace LlmSuite.Engine.Tensors;

/// <summary>
/// Rotary-embedding frequency scaling from a HF config's "rope_scaling". Only Type "llama3" is supported
/// (HF transformers _compute_llama3_parameters); anything else is rejected by <see cref="RopeTable"/>.
/// </summary>
public sealed record RopeScaling(string Type, double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositions)
{
    /// <summary>Applies the scaling to inverse frequencies (one per rotated pair), in place.</summary>
    internal void Scale(Span<double> inverseFrequencies)
    {
        if (!string.Equals(Type, "llama3", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"rope scaling type '{Type}' is not supported (supported: llama3)");
        }
        if (Factor <= 0 || LowFreqFactor <= 0 || HighFreqFactor <= LowFreqFactor || OriginalMaxPositions <= 0)
        {
            throw new ArgumentException($"llama3 rope scaling needs factor > 0, 0 < low_freq_factor < high_freq_factor and original_max_position_embeddings > 0; got {this}");
        }
        double lowFreqWavelen = OriginalMaxPositions / LowFreqFactor;
        double highFreqWavelen = OriginalMaxPositions / HighFreqFactor;
        for (int i = 0; i < inverseFrequencies.Length; i++)
        {
            double inv = inverseFrequencies[i];
            double wavelen = 2 * Math.PI / inv;
            if (wavelen > lowFreqWavelen)
            {
                inverseFrequencies[i] = inv / Factor;                       // long wavelengths: fully scaled
            }
            else if (wavelen >= highFreqWavelen)
            {
                double smooth = (OriginalMaxPositions / wavelen - LowFreqFactor) / (HighFreqFactor - LowFreqFactor);
                inverseFrequencies[i] = (1 - smooth) * inv / Factor + smooth * inv; // medium: interpolated
            }
            // short wavelengths (wavelen < highFreqWavelen): unchanged
        }
    }
}
