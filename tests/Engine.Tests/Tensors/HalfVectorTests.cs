using System.Runtime.Intrinsics;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Tests.Tensors;

public unsafe class HalfVectorTests
{
    [Fact]
    public void Load4Load8Scalar_EveryFiniteHalf_MatchRuntimeConversion()
    {
        var bits = Enumerable.Range(0, 65536).Select(i => (ushort)i).Where(h => (h & 0x7C00) != 0x7C00).ToArray();
        fixed (ushort* p = bits)
        {
            for (int i = 0; i + 8 <= bits.Length; i += 8)
            {
                var v4 = HalfVector.Load4(p + i);
                var v8 = HalfVector.Load8(p + i);
                for (int e = 0; e < 8; e++)
                {
                    float expected = HalfVector.Reference(bits[i + e]);
                    Assert.Equal(expected, v8.GetElement(e));
                    Assert.Equal(expected, HalfVector.Scalar(bits[i + e]));
                    if (e < 4)
                    {
                        Assert.Equal(expected, v4.GetElement(e));
                    }
                }
            }
        }
    }
}
