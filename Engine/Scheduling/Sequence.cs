using LlmSuite.Engine.KvCache;

namespace LlmSuite.Engine.Scheduling;

/// <summary>
/// One token stream the scheduler manages: prompt then generated tokens, how many of them have K/V in the cache
/// (<see cref="NumComputedTokens"/>), its block table and its scheduling keys (priority, arrival order).
/// The tokens still to compute are [NumComputedTokens, Length): a whole prompt (or a chunk of it) during prefill,
/// exactly one (the last sampled token) during decode. Engine-owned; not thread-safe.
/// </summary>
public sealed class Sequence
{
    private readonly List<int> _tokens;

    /// <summary>
    /// Creates a waiting sequence over <paramref name="tokens"/>, of which the first <paramref name="promptLength"/>
    /// (all when negative) are the prompt and the rest already generated (a forked n &gt; 1 sample).
    /// </summary>
    public Sequence(long id, ReadOnlySpan<int> tokens, ulong rootHash, int priority = 0, long arrival = 0, int promptLength = -1)
    {
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("a sequence needs at least one prompt token", nameof(tokens));
        }
        if (promptLength > tokens.Length || promptLength == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(promptLength), $"prompt length {promptLength} must be in [1, {tokens.Length}]");
        }
        Id = id;
        _tokens = new List<int>(tokens.Length + 16);
        foreach (int t in tokens)
        {
            _tokens.Add(t);
        }
        PromptLength = promptLength < 0 ? tokens.Length : promptLength;
        Blocks = new BlockTable(rootHash);
        Priority = priority;
        Arrival = arrival;
    }

    /// <summary>Engine-wide unique id.</summary>
    public long Id { get; }

    /// <summary>Lower runs first (vLLM semantics); ties by <see cref="Arrival"/>.</summary>
    public int Priority { get; }

    /// <summary>Arrival order (FCFS key); kept across preemption so a preempted sequence keeps its place.</summary>
    public long Arrival { get; }

    /// <summary>State.</summary>
    public SequenceStatus Status { get; internal set; } = SequenceStatus.Waiting;

    /// <summary>Prompt tokens.</summary>
    public int PromptLength { get; }

    /// <summary>Prompt plus generated tokens.</summary>
    public int Length => _tokens.Count;

    /// <summary>Generated tokens.</summary>
    public int OutputLength => _tokens.Count - PromptLength;

    /// <summary>All tokens (prompt then output).</summary>
    public ReadOnlySpan<int> Tokens => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_tokens);

    /// <summary>Generated tokens.</summary>
    public ReadOnlySpan<int> OutputTokens => Tokens.Slice(PromptLength);

    /// <summary>Leading tokens whose K/V are in the cache.</summary>
    public int NumComputedTokens { get; internal set; }

    /// <summary>Prompt tokens found in the prefix cache at the first admission.</summary>
    public int NumCachedTokens { get; internal set; }

    /// <summary>Whether the sequence was admitted at least once (cached-token count is taken from the first admission).</summary>
    internal bool Admitted { get; set; }

    /// <summary>The physical KV blocks.</summary>
    public BlockTable Blocks { get; }

    /// <summary>Slot id the model sees while running (-1 otherwise).</summary>
    public int Slot { get; internal set; } = -1;

    /// <summary>Times this sequence was preempted.</summary>
    public int Preemptions { get; internal set; }

    /// <summary>Tokens still to compute.</summary>
    public int PendingTokens => Length - NumComputedTokens;

    /// <summary>Appends a sampled token.</summary>
    public void Append(int token) => _tokens.Add(token);

    /// <summary>Engine payload (request state).</summary>
    public object? Tag { get; set; }
}
