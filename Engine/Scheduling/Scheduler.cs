using LlmSuite.Engine.KvCache;

namespace LlmSuite.Engine.Scheduling;

/// <summary>
/// Iteration-level (continuous) batching over a <see cref="BlockManager"/>, free of tensors. Each
/// <see cref="Schedule"/> fills a token budget: first the running sequences that decode (one token each), then running
/// prefills (chunked to the remaining budget), then waiting sequences in (priority, arrival) order while blocks, slots
/// and budget last. When a running sequence needs a block and none is free, the least important running sequence
/// (highest priority value, latest arrival) is preempted by recompute: its blocks are freed and it is requeued with
/// its arrival kept, so it runs again before anything that came later. The waiting head is never skipped (no
/// starvation of long prompts by short ones).
/// </summary>
public sealed class Scheduler
{
    private readonly List<Sequence> _running = new();
    private readonly SortedSet<Sequence> _waiting = new(SchedulingOrder.Instance);
    private readonly Stack<int> _freeSlots = new();
    private readonly List<ScheduledSequence> _scheduled = new();
    private readonly List<Sequence> _order = new();

    /// <summary>Creates a scheduler.</summary>
    public Scheduler(SchedulerOptions options, BlockManager blocks)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxNumBatchedTokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxNumSeqs);
        Options = options;
        BlockManager = blocks;
        for (int s = options.MaxNumSeqs - 1; s >= 0; s--)
        {
            _freeSlots.Push(s);
        }
    }

    /// <summary>Limits.</summary>
    public SchedulerOptions Options { get; }

    /// <summary>The block bookkeeping.</summary>
    public BlockManager BlockManager { get; }

    /// <summary>Running sequences (admission order).</summary>
    public IReadOnlyList<Sequence> Running => _running;

    /// <summary>Waiting sequences in scheduling order.</summary>
    public IReadOnlyCollection<Sequence> Waiting => _waiting;

    /// <summary>Preemptions so far.</summary>
    public long NumPreemptions { get; private set; }

    /// <summary>Whether anything is running or waiting.</summary>
    public bool HasWork => _running.Count > 0 || _waiting.Count > 0;

    /// <summary>Queues a new (or forked) sequence.</summary>
    public void Add(Sequence sequence)
    {
        if (sequence.Status != SequenceStatus.Waiting || sequence.Blocks.Count != 0)
        {
            throw new InvalidOperationException($"sequence {sequence.Id} must be waiting and hold no blocks to be added");
        }
        if (!_waiting.Add(sequence))
        {
            throw new InvalidOperationException($"sequence {sequence.Id} is already queued");
        }
    }

    /// <summary>
    /// Picks this step's work. The returned list is reused by the next call. Call <see cref="Commit"/> after the
    /// forward pass ran it.
    /// </summary>
    public IReadOnlyList<ScheduledSequence> Schedule()
    {
        _scheduled.Clear();
        int budget = Options.MaxNumBatchedTokens;
        bool preempted = false;

        _order.Clear();
        foreach (Sequence s in _running)
        {
            if (s.PendingTokens == 1)
            {
                _order.Add(s);   // decodes first: streaming never stalls behind a long prompt
            }
        }
        foreach (Sequence s in _running)
        {
            if (s.PendingTokens != 1)
            {
                _order.Add(s);
            }
        }
        foreach (Sequence seq in _order)
        {
            if (seq.Status != SequenceStatus.Running || budget == 0)
            {
                continue;
            }
            int n = Math.Min(seq.PendingTokens, budget);
            if (n <= 0)
            {
                continue;
            }
            while (!BlockManager.CanAppend(seq.Blocks, seq.NumComputedTokens + n))
            {
                Sequence? victim = PickVictim(seq);
                Preempt(victim ?? seq, ref budget);
                preempted = true;
                if (victim is null)
                {
                    break;
                }
            }
            if (seq.Status != SequenceStatus.Running)
            {
                continue;
            }
            BlockManager.Append(seq.Blocks, seq.NumComputedTokens + n);
            _scheduled.Add(new ScheduledSequence(seq, seq.NumComputedTokens, n));
            budget -= n;
        }

        while (!preempted && budget > 0 && _waiting.Count > 0 && _running.Count < Options.MaxNumSeqs)
        {
            Sequence seq = _waiting.Min!;
            ReadOnlySpan<int> tokens = seq.Tokens;
            if (!BlockManager.CanAllocate(tokens, seq.Blocks.RootHash))
            {
                break;
            }
            if (!Options.EnableChunkedPrefill)
            {
                int cached = BlockManager.CountCachedBlocks(tokens, seq.Blocks.RootHash) * BlockManager.BlockSize;
                if (tokens.Length - cached > budget)
                {
                    break;
                }
            }
            _waiting.Remove(seq);
            int hit = BlockManager.Allocate(seq.Blocks, tokens);
            seq.NumComputedTokens = hit;
            if (!seq.Admitted)
            {
                seq.NumCachedTokens = Math.Min(hit, seq.PromptLength);
                seq.Admitted = true;
            }
            seq.Status = SequenceStatus.Running;
            seq.Slot = _freeSlots.Pop();
            _running.Add(seq);
            int n = Math.Min(seq.PendingTokens, budget);
            _scheduled.Add(new ScheduledSequence(seq, seq.NumComputedTokens, n));
            budget -= n;
        }
        return _scheduled;
    }

    /// <summary>Records that the scheduled tokens were computed (K/V written) and registers newly full blocks for prefix reuse.</summary>
    public void Commit(IReadOnlyList<ScheduledSequence> scheduled)
    {
        foreach (ScheduledSequence s in scheduled)
        {
            Sequence seq = s.Sequence;
            if (seq.Status != SequenceStatus.Running)
            {
                continue;
            }
            seq.NumComputedTokens = s.Start + s.Count;
            BlockManager.MarkComputed(seq.Blocks, seq.Tokens, seq.NumComputedTokens);
        }
    }

    /// <summary>
    /// Starts <paramref name="child"/> (a new waiting sequence whose tokens begin with the parent's prompt) sharing the
    /// parent's full prompt blocks. If blocks or slots are short it is queued instead (it then finds the same blocks
    /// through the prefix cache when admitted).
    /// </summary>
    public void Fork(Sequence parent, Sequence child)
    {
        int shared = Math.Min(Math.Min(parent.PromptLength, parent.NumComputedTokens) / BlockManager.BlockSize, parent.Blocks.HashedBlocks);
        shared = Math.Min(shared, (child.Length - 1) / BlockManager.BlockSize);
        if (parent.Status == SequenceStatus.Running && _running.Count < Options.MaxNumSeqs
            && BlockManager.TryFork(parent.Blocks, child.Blocks, shared, child.Length))
        {
            child.NumComputedTokens = shared * BlockManager.BlockSize;
            child.NumCachedTokens = parent.NumCachedTokens;
            child.Admitted = true;
            child.Status = SequenceStatus.Running;
            child.Slot = _freeSlots.Pop();
            _running.Add(child);
            return;
        }
        Add(child);
    }

    /// <summary>Finishes (or aborts) a sequence wherever it is, freeing its blocks and slot at once.</summary>
    public void Finish(Sequence seq)
    {
        switch (seq.Status)
        {
            case SequenceStatus.Running:
                Release(seq);
                break;
            case SequenceStatus.Waiting:
                _waiting.Remove(seq);
                break;
        }
        seq.Status = SequenceStatus.Finished;
    }

    private void Release(Sequence seq)
    {
        BlockManager.Free(seq.Blocks);
        _running.Remove(seq);
        _freeSlots.Push(seq.Slot);
        seq.Slot = -1;
    }

    private Sequence? PickVictim(Sequence except)
    {
        Sequence? victim = null;
        foreach (Sequence s in _running)
        {
            if (s != except && (victim is null || SchedulingOrder.Instance.Compare(s, victim) > 0))
            {
                victim = s;
            }
        }
        return victim;
    }

    private void Preempt(Sequence seq, ref int budget)
    {
        for (int i = 0; i < _scheduled.Count; i++)
        {
            if (_scheduled[i].Sequence == seq)
            {
                budget += _scheduled[i].Count;
                _scheduled.RemoveAt(i);
                break;
            }
        }
        Release(seq);
        seq.NumComputedTokens = 0;
        seq.Status = SequenceStatus.Waiting;
        seq.Preemptions++;
        NumPreemptions++;
        _waiting.Add(seq);
    }

    private sealed class SchedulingOrder : IComparer<Sequence>
    {
        public static readonly SchedulingOrder Instance = new();

        public int Compare(Sequence? x, Sequence? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }
            int c = x!.Priority.CompareTo(y!.Priority);
            if (c == 0)
            {
                c = x.Arrival.CompareTo(y.Arrival);
            }
            return c != 0 ? c : x.Id.CompareTo(y.Id);
        }
    }
}
