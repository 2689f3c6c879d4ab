using LlmSuite.Engine.KvCache;
using LlmSuite.Engine.Scheduling;

namespace LlmSuite.Engine.Tests.Scheduling;

/// <summary>Scheduler policy with a simulated model (no tensors): every scheduled token is "computed".</summary>
public class SchedulerTests
{
    private static (Scheduler, BlockManager) Create(int blocks, int budget, int maxSeqs = 8, int blockSize = 4)
    {
        var bm = new BlockManager(blocks, new BlockHasher(blockSize));
        return (new Scheduler(new SchedulerOptions { MaxNumBatchedTokens = budget, MaxNumSeqs = maxSeqs }, bm), bm);
    }

    private static long _ids;

    private static Sequence Seq(int length, int seed = 0, int priority = 0, long arrival = 0)
    {
        var rng = new Random(seed);
        return new Sequence(Interlocked.Increment(ref _ids), Enumerable.Range(0, length).Select(_ => rng.Next(1000)).ToArray(), 0, priority, arrival);
    }

    /// <summary>Schedules, commits, and appends a token to every sequence whose last token was computed.</summary>
    private static IReadOnlyList<ScheduledSequence> Step(Scheduler s)
    {
        var scheduled = s.Schedule().ToList();
        s.Commit(scheduled);
        foreach (var x in scheduled.Where(x => x.Samples && x.Sequence.Status == SequenceStatus.Running))
        {
            x.Sequence.Append(7);
        }
        return scheduled;
    }

    [Fact]
    public void Schedule_LongPrompt_ChunkedWithinBudgetAndDecodesFirst()
    {
        var (s, _) = Create(64, budget: 8);
        var shortSeq = Seq(3, 1, arrival: 0);
        s.Add(shortSeq);
        Step(s);                                 // short prompt done, first token sampled
        var longSeq = Seq(20, 2, arrival: 1);
        s.Add(longSeq);
        var step = Step(s);
        Assert.Equal(shortSeq, step[0].Sequence);   // decode first
        Assert.Equal(1, step[0].Count);
        Assert.Equal(7, step[1].Count);             // prefill chunk fills the rest of the budget
        Assert.False(step[1].Samples);
        Assert.Equal(8, step.Sum(x => x.Count));
        Step(s);
        step = Step(s);
        Assert.True(step.Single(x => x.Sequence == longSeq).Samples);   // 7 + 7 + 6 = 20
    }

    [Fact]
    public void Schedule_BlocksRunOut_NewestPreemptedAndRequeuedFirst()
    {
        var (s, bm) = Create(4, budget: 64, blockSize: 4);
        var a = Seq(7, 1, arrival: 0);
        var b = Seq(7, 2, arrival: 1);
        s.Add(a);
        s.Add(b);
        Step(s);                                  // both prefilled: 2 blocks each, pool full
        Assert.Equal(0, bm.FreeBlocks);
        Step(s);                                  // position 7 still fits the 2nd block
        Assert.Equal(0, s.NumPreemptions);
        Step(s);                                  // a's position 8 needs a 3rd block: b (newest) is preempted
        Assert.Equal(1, s.NumPreemptions);
        Assert.Equal(SequenceStatus.Waiting, b.Status);
        Assert.Equal(0, b.NumComputedTokens);
        Assert.Equal(b, s.Waiting.First());
        var c = Seq(3, 3, arrival: 2);
        s.Add(c);
        Assert.Equal(b, s.Waiting.First());       // keeps its place ahead of later arrivals
        bm.CheckInvariants();
    }

    [Fact]
    public void Schedule_Priority_LowerValueAdmittedFirst()
    {
        var (s, _) = Create(64, budget: 4, maxSeqs: 1);
        var late = Seq(3, 1, priority: 5, arrival: 0);
        var urgent = Seq(3, 2, priority: -1, arrival: 1);
        s.Add(late);
        s.Add(urgent);
        Assert.Equal(urgent, s.Schedule()[0].Sequence);
    }

    [Fact]
    public void Schedule_WaitingHeadDoesNotFit_LaterSmallRequestsDoNotOvertake()
    {
        var (s, _) = Create(6, budget: 64);
        var running = Seq(12, 1, arrival: 0);     // 3 blocks (+1 for decode)
        s.Add(running);
        Step(s);
        var big = Seq(16, 2, arrival: 1);         // needs 4 blocks, only 3 free
        var small = Seq(2, 3, arrival: 2);
        s.Add(big);
        s.Add(small);
        var step = Step(s);
        Assert.DoesNotContain(step, x => x.Sequence == small);
        s.Finish(running);
        step = Step(s);
        Assert.Contains(step, x => x.Sequence == big);
    }

    [Fact]
    public void RandomOperations_ThousandSteps_InvariantsHoldAndEverythingFreedAtEnd()
    {
        var rng = new Random(1234);
        var (s, bm) = Create(24, budget: 24, maxSeqs: 6, blockSize: 4);
        int[] prefix = Enumerable.Range(0, 12).Select(_ => rng.Next(1000)).ToArray();
        var live = new List<(Sequence Seq, int Max)>();
        long arrival = 0;
        for (int op = 0; op < 1000; op++)
        {
            int r = rng.Next(10);
            if (r < 3)
            {
                int len = rng.Next(1, 30);
                int[] tokens = rng.Next(2) == 0
                    ? [.. prefix.Take(Math.Min(len, prefix.Length)), .. Enumerable.Range(0, Math.Max(0, len - prefix.Length)).Select(_ => rng.Next(1000))]
                    : Enumerable.Range(0, len).Select(_ => rng.Next(1000)).ToArray();
                var seq = new Sequence(Interlocked.Increment(ref _ids), tokens, 0, rng.Next(3), arrival++);
                s.Add(seq);
                live.Add((seq, rng.Next(1, 20)));
            }
            else if (r < 4 && live.Count > 0)
            {
                int i = rng.Next(live.Count);
                s.Finish(live[i].Seq);            // abort at any moment
                live.RemoveAt(i);
            }
            else
            {
                Step(s);
                foreach (var (seq, max) in live.ToList())
                {
                    if (seq.OutputLength >= max || bm.BlocksFor(seq.Length) > bm.NumBlocks)
                    {
                        s.Finish(seq);
                        live.Remove((seq, max));
                    }
                }
            }
            CheckSharing(s, bm);
        }
        foreach (var (seq, _) in live)
        {
            s.Finish(seq);
        }
        Assert.True(s.NumPreemptions > 0, "the workload should have forced preemptions");
        Assert.True(bm.PrefixCacheHits > 0, "the workload should have hit the prefix cache");
        Assert.Equal(bm.NumBlocks, bm.FreeBlocks);
        for (int b = 0; b < bm.NumBlocks; b++)
        {
            Assert.Equal(0, bm.RefCount(b));
        }
        bm.CheckInvariants();
    }

    /// <summary>Ref count = number of running tables holding the block; a block in two tables is a cached (shared prefix) block.</summary>
    private static void CheckSharing(Scheduler s, BlockManager bm)
    {
        bm.CheckInvariants();
        var holders = new Dictionary<int, int>();
        foreach (Sequence seq in s.Running)
        {
            Assert.Equal(seq.Blocks.Count, seq.Blocks.Blocks.Distinct().Count());
            foreach (int b in seq.Blocks.Blocks)
            {
                holders[b] = holders.GetValueOrDefault(b) + 1;
            }
        }
        foreach (Sequence seq in s.Waiting)
        {
            Assert.Equal(0, seq.Blocks.Count);
        }
        for (int b = 0; b < bm.NumBlocks; b++)
        {
            int n = holders.GetValueOrDefault(b);
            Assert.Equal(n, bm.RefCount(b));
            if (n > 1)
            {
                Assert.True(bm.IsCached(b), $"block {b} is shared by {n} sequences but is not a cached prefix block");
            }
        }
    }
}
