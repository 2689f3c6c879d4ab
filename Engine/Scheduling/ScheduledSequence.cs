namespace LlmSuite.Engine.Scheduling;

/// <summary>One sequence's share of a step: compute tokens [Start, Start + Count) of <see cref="Sequence"/>.</summary>
/// <param name="Sequence">The sequence.</param>
/// <param name="Start">First position to compute (its NumComputedTokens at scheduling time).</param>
/// <param name="Count">Tokens to compute this step.</param>
public readonly record struct ScheduledSequence(Sequence Sequence, int Start, int Count)
{
    /// <summary>Whether this step computes the sequence's last token (at scheduling time), so its logits are sampled.</summary>
    public bool Samples { get; } = Start + Count == Sequence.Length;
}
