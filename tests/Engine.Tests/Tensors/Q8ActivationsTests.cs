using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Tests.Tensors;

public unsafe class Q8ActivationsTests
{
    [Theory]
    [InlineData("Vector512")]
    [InlineData("Vector256")]
    [InlineData("Vector128")]
    public void QuantizeRow_EachWidth_BitIdenticalToScalar(string name)
    {
        var width = Enum.Parse<SimdWidth>(name);
        Assert.True(Simd.IsSupported(width), $"{width} is not supported on this CPU");
        const int k = 32 * 37;
        float[] x = TensorTestUtil.Random(k, 77, 5f);
        x[3] = 0f;
        for (int i = 64; i < 96; i++)
        {
            x[i] = 0f;                         // an all-zero block: d = 0, q = 0
        }
        x[128] = 127f;                         // block 4: d = 1, so these are exact ties (ties to even: 2, -4, 0)
        x[129] = 2.5f;
        x[130] = -3.5f;
        x[131] = 0.5f;
        for (int i = 132; i < 160; i++)
        {
            x[i] = 0.25f;
        }
        var q0 = new sbyte[k];
        var q1 = new sbyte[k];
        var d0 = new float[k / 32];
        var d1 = new float[k / 32];
        fixed (float* px = x)
        fixed (sbyte* pq0 = q0, pq1 = q1)
        fixed (float* pd0 = d0, pd1 = d1)
        {
            Q8Activations.QuantizeRowScalar(px, k, pq0, pd0);
            Q8Activations.QuantizeRow(px, k, pq1, pd1, width);
        }
        Assert.Equal(q0, q1);
        Assert.Equal(new sbyte[] { 127, 2, -4, 0 }, q0.AsSpan(128, 4).ToArray());
        Assert.Equal(d0, d1);
        Assert.All(q0, v => Assert.InRange(v, (sbyte)-127, (sbyte)127));
    }
}
