using LlmSuite.InferenceService.Generation;
using LlmSuite.InferenceService.Models;

namespace LlmSuite.InferenceService;

/// <summary>What the handlers need, as one <c>[AsParameters]</c> class.</summary>
public sealed class InferenceServices(Generator generator, ModelRegistry registry, TimeProvider time)
{
    /// <summary>Model resolution, admission and submission.</summary>
    public Generator Generator { get; } = generator;

    /// <summary>The models.</summary>
    public ModelRegistry Registry { get; } = registry;

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; } = time;
}
