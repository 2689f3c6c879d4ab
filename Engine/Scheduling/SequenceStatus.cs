namespace LlmSuite.Engine.Scheduling;

/// <summary>Where a sequence is in its life.</summary>
public enum SequenceStatus
{
    /// <summary>Queued (new, or preempted and waiting to be recomputed); holds no blocks.</summary>
    Waiting,
    /// <summary>Holds blocks and is scheduled every step (prefill chunks, then one decode token per step).</summary>
    Running,
    /// <summary>Done; holds no blocks.</summary>
    Finished,
}
