namespace LlmSuite.Gateway.LoadBalancing;

/// <summary>
/// Chained block hashes over prompt text: block i's hash covers blocks 0..i (hash(parent, chars)), so two prompts share
/// block i's hash only when they share the whole prefix up to it. A trailing partial block gets a hash too. With a
/// conversation id the chain is that id's single hash (the conversation is the prefix).
/// </summary>
public static class PromptBlocks
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>The chained hashes of <paramref name="text"/> in blocks of <paramref name="blockChars"/> characters.</summary>
    public static ulong[] Hash(string text, int blockChars, string? conversationId = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockChars, 1);
        if (conversationId is not null)
        {
            return [HashChars(Offset ^ 0x636f6e76UL, conversationId)];
        }
        var count = (text.Length + blockChars - 1) / blockChars;
        var hashes = new ulong[count];
        var parent = Offset;
        for (var i = 0; i < count; i++)
        {
            var start = i * blockChars;
            parent = HashChars(parent, text.AsSpan(start, Math.Min(blockChars, text.Length - start)));
            hashes[i] = parent;
        }
        return hashes;
    }

    private static ulong HashChars(ulong seed, ReadOnlySpan<char> chars)
    {
        var h = seed;
        foreach (var c in chars)
        {
            h = (h ^ c) * Prime;
        }
        return (h ^ (ulong)chars.Length) * Prime;
    }
}
