using System.Runtime.InteropServices;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Tests.Tensors;

public unsafe class WorkerPoolTests
{
    private readonly struct CountJob(int* counts) : IParallelJob
    {
        private readonly int* _counts = counts;

        public void Execute(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                Interlocked.Increment(ref _counts[i]);
            }
        }
    }

    private readonly struct ThrowJob : IParallelJob
    {
        public void Execute(int start, int end)
        {
            if (start == 0)
            {
                throw new InvalidOperationException("boom");
            }
        }
    }

    private readonly struct NestedJob(int* counts) : IParallelJob
    {
        private readonly int* _counts = counts;

        public void Execute(int start, int end)
        {
            var inner = new CountJob(_counts + start * 10);
            WorkerPool.For((end - start) * 10, ref inner);
        }
    }

    [Fact]
    public void For_ManyCallsOfVaryingSize_RunsEveryItemExactlyOnce()
    {
        const int max = 3000;
        int* counts = (int*)NativeMemory.AllocZeroed(max, sizeof(int));
        try
        {
            var rng = new Random(5);
            for (int call = 0; call < 5000; call++)
            {
                int count = call % 10 == 0 ? max : rng.Next(0, 64);
                new Span<int>(counts, count).Clear();
                var job = new CountJob(counts);
                WorkerPool.For(count, ref job, 1 + call % 3);
                for (int i = 0; i < count; i++)
                {
                    Assert.True(counts[i] == 1, $"call {call}: item {i} ran {counts[i]} times");
                }
            }
        }
        finally
        {
            NativeMemory.Free(counts);
        }
    }

    [Fact]
    public void For_ConcurrentCallers_AllComplete()
    {
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            int* counts = (int*)NativeMemory.AllocZeroed(500, sizeof(int));
            try
            {
                for (int call = 0; call < 300; call++)
                {
                    var job = new CountJob(counts);
                    WorkerPool.For(500, ref job);
                }
                for (int i = 0; i < 500; i++)
                {
                    if (counts[i] != 300)
                    {
                        failures.Enqueue($"caller {t} item {i}: {counts[i]}");
                    }
                }
            }
            finally
            {
                NativeMemory.Free(counts);
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void For_JobThrows_RethrowsOnCaller()
    {
        var job = new ThrowJob();
        var ex = Assert.Throws<AggregateException>(() => WorkerPool.For(100, ref job));
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        int* counts = stackalloc int[100];
        var ok = new CountJob(counts);
        WorkerPool.For(100, ref ok); // the pool still works afterwards
        Assert.Equal(1, counts[99]);
    }

    [Fact]
    public void For_NestedCall_RunsInlineWithoutDeadlock()
    {
        int* counts = (int*)NativeMemory.AllocZeroed(400, sizeof(int));
        try
        {
            var job = new NestedJob(counts);
            WorkerPool.For(40, ref job);
            for (int i = 0; i < 400; i++)
            {
                Assert.Equal(1, counts[i]);
            }
        }
        finally
        {
            NativeMemory.Free(counts);
        }
    }

    [Fact]
    public void Threads_IsProcessorCount()
    {
        Assert.Equal(Environment.ProcessorCount, WorkerPool.Threads);
    }

    [Fact]
    public void ActiveThreads_ClampedToRange()
    {
        int saved = WorkerPool.ActiveThreads;
        try
        {
            WorkerPool.ActiveThreads = 0;
            Assert.Equal(1, WorkerPool.ActiveThreads);
            WorkerPool.ActiveThreads = 1000;
            Assert.Equal(WorkerPool.Threads, WorkerPool.ActiveThreads);
        }
        finally
        {
            WorkerPool.ActiveThreads = saved;
        }
    }
}
