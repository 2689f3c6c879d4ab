using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Tests;

public class ShapeTests
{
    [Fact]
    public void Elements_ProductOfDims_IsReturned() => Assert.Equal(24, Shape.Elements([2, 3, 4]));

    [Fact]
    public void Elements_NegativeDim_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => Shape.Elements([2, -1]));
}
