namespace LlmSuite.Engine.Tensors;

/// <summary>
/// A unit of parallel work run by <see cref="WorkerPool.For{TJob}(int, ref TJob, int)"/>: items [start, end) of a
/// range. Implemented by small unmanaged structs (pointers and sizes) so a dispatch allocates nothing.
/// Execute is called concurrently from several threads on disjoint ranges and must not write shared fields.
/// </summary>
public interface IParallelJob
{
    /// <summary>Processes items [start, end).</summary>
    void Execute(int start, int end);
}
