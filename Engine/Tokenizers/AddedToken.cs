namespace LlmSuite.Engine.Tokenizers;

/// <summary>A token matched in the raw text before the model runs (HF "added_tokens").</summary>
/// <param name="Id">Token id.</param>
/// <param name="Content">Exact text of the token.</param>
/// <param name="Special">Special tokens are skipped by Decode(skipSpecialTokens: true).</param>
/// <param name="LStrip">Whitespace on the left is absorbed into the token.</param>
/// <param name="RStrip">Whitespace on the right is absorbed into the token.</param>
/// <param name="SingleWord">Only matches when not inside a word.</param>
/// <param name="Normalized">HF matches it on normalized text; we match on raw text (identical for the usual tokens).</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool LStrip = false, bool RStrip = false,
    bool SingleWord = false, bool Normalized = false);
