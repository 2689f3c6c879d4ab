namespace LlmSuite.Engine.Tensors;

/// <summary>
/// One persistent pool of <see cref="Environment.ProcessorCount"/> threads for every parallel kernel: the calling
/// thread participates, work is split into chunks claimed with one atomic, nothing is allocated per call, and idle
/// workers spin for a while before blocking so back-to-back small ops do not pay thread wake-up latency.
/// Calls from several threads are serialized; a call from inside a job runs inline.
/// </summary>
public static unsafe class WorkerPool
{
    private const int ChunksPerThread = 4;

    // State word: [generation:32 | next chunk:16 | chunk count:16]. A chunk can be claimed while next < count.
    private static long s_state;
    private static delegate*<void*, int, int, void> s_invoke;
    private static void* s_job;
    private static int s_items;
    private static int s_itemsPerChunk;
    private static int s_done;                     // chunks finished in the current job
    private static int s_sleepers;
    private static Exception? s_error;
    private static readonly object s_wake = new();
    private static readonly object s_callGate = new();
    private static readonly long s_spinTicks = System.Diagnostics.Stopwatch.Frequency / 5000; // spin ~0.2 ms before blocking

    private static int s_activeThreads;

    [ThreadStatic]
    private static bool t_insideJob;

    static WorkerPool()
    {
        Threads = Math.Max(1, Environment.ProcessorCount);
        s_activeThreads = Threads;
        for (int i = 1; i < Threads; i++)
        {
            int index = i;
            var thread = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"LlmSuite.WorkerPool.{i}" };
            thread.Start();
        }
    }

    /// <summary>Threads that run a parallel op (workers plus the calling thread).</summary>
    public static int Threads { get; }

    /// <summary>
    /// How many of the <see cref="Threads"/> take part in new ops (1 = the calling thread only), e.g. to leave cores to
    /// other work or to measure single-core speed. Clamped to [1, Threads].
    /// </summary>
    public static int ActiveThreads
    {
        get => Volatile.Read(ref s_activeThreads);
        set => Volatile.Write(ref s_activeThreads, Math.Clamp(value, 1, Threads));
    }

    /// <summary>
    /// Runs <paramref name="job"/> over items [0, count), split in chunks of at least
    /// <paramref name="minItemsPerChunk"/> items, on all pool threads; returns when every item is done.
    /// Rethrows the first exception a chunk threw.
    /// </summary>
    public static void For<TJob>(int count, ref TJob job, int minItemsPerChunk = 1) where TJob : unmanaged, IParallelJob
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }
        minItemsPerChunk = Math.Max(1, minItemsPerChunk);
        int active = ActiveThreads;
        if (active == 1 || t_insideJob || count <= minItemsPerChunk)
        {
            job.Execute(0, count);
            return;
        }
        int chunks = Math.Min(Math.Min(active * ChunksPerThread, (count + minItemsPerChunk - 1) / minItemsPerChunk), ushort.MaxValue);
        int perChunk = (count + chunks - 1) / chunks;
        chunks = (count + perChunk - 1) / perChunk;
        fixed (TJob* p = &job)
        {
            lock (s_callGate)
            {
                s_invoke = &Invoke<TJob>;
                s_job = p;
                s_items = count;
                s_itemsPerChunk = perChunk;
                s_done = 0;
                s_error = null;
                long generation = ((s_state >> 32) + 1) & 0x7FFF_FFFF;
                Interlocked.Exchange(ref s_state, (generation << 32) | (uint)chunks);
                if (Volatile.Read(ref s_sleepers) > 0)
                {
                    lock (s_wake)
                    {
                        Monitor.PulseAll(s_wake);
                    }
                }
                RunChunks();
                var spin = new SpinWait();
                while (Volatile.Read(ref s_done) < chunks)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                }
                s_invoke = null;
                s_job = null;
                if (s_error is { } error)
                {
                    s_error = null;
                    throw new AggregateException("a parallel kernel chunk failed", error);
                }
            }
        }
    }

    private static void Invoke<TJob>(void* job, int start, int end) where TJob : unmanaged, IParallelJob
        => ((TJob*)job)->Execute(start, end);

    private static bool HasWork(long state) => ((state >> 16) & 0xFFFF) < (state & 0xFFFF);

    /// <summary>Claims and runs chunks of the current job until none is left.</summary>
    private static void RunChunks()
    {
        while (true)
        {
            long state = Volatile.Read(ref s_state);
            if (!HasWork(state))
            {
                return;
            }
            if (Interlocked.CompareExchange(ref s_state, state + (1L << 16), state) != state)
            {
                continue;
            }
            // A claimed chunk keeps the job alive: the caller waits for it, so the fields below are stable.
            int chunk = (int)((state >> 16) & 0xFFFF);
            int start = chunk * s_itemsPerChunk;
            int end = Math.Min(s_items, start + s_itemsPerChunk);
            t_insideJob = true;
            try
            {
                s_invoke(s_job, start, end);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref s_error, e, null);
            }
            finally
            {
                t_insideJob = false;
                Interlocked.Increment(ref s_done);
            }
        }
    }

    private static void WorkerLoop(int index)
    {
        while (true)
        {
            long spinStart = System.Diagnostics.Stopwatch.GetTimestamp();
            while (!HasWork(Volatile.Read(ref s_state)))
            {
                if (System.Diagnostics.Stopwatch.GetTimestamp() - spinStart > s_spinTicks)
                {
                    Interlocked.Increment(ref s_sleepers);
                    lock (s_wake)
                    {
                        while (!HasWork(Volatile.Read(ref s_state)))
                        {
                            Monitor.Wait(s_wake);
                        }
                    }
                    Interlocked.Decrement(ref s_sleepers);
                    break;
                }
                Thread.SpinWait(16);
            }
            if (index < ActiveThreads)
            {
                RunChunks();
            }
            else
            {
                Thread.Sleep(1); // not part of the active set: let the callers finish without us
            }
        }
    }
}
