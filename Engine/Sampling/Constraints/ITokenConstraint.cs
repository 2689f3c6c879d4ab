namespace LlmSuite.Engine.Sampling.Constraints;

/// <summary>
/// A per-sequence restriction of which tokens may come next, applied by <see cref="SequenceSampler"/> after penalties
/// and before sampling. Not thread-safe; one instance per sequence.
/// </summary>
public interface ITokenConstraint
{
    /// <summary>Sets every token that may not come next to -infinity.</summary>
    void Mask(Span<float> logits /*[vocab]*/);

    /// <summary>Advances past the sampled token (which <see cref="Mask"/> allowed).</summary>
    void Accept(int tokenId);
}
