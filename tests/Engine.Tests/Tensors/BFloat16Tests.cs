using System.Runtime.Intrinsics;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Tests.Tensors;

/// <summary>bf16 narrowing (round to nearest even) and widening against an independent double-precision reference.</summary>
public unsafe class BFloat16Tests
{
    /// <summary>Reference: the nearer of the two bf16 neighbours of a finite float (ties to the even mantissa), computed
    /// in double; past the largest finite bf16 the upper neighbour counts as 2^128 (IEEE: round as if unbounded, then overflow).</summary>
    private static ushort Reference(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        if (float.IsNaN(x))
        {
            return (ushort)((bits >> 16) | 0x40);
        }
        if (float.IsInfinity(x))
        {
            return (ushort)(bits >> 16);
        }
        ushort lo = (ushort)(bits >> 16), hi = (ushort)(lo + 1);
        double Value(ushort b) => (b & 0x7FFF) == 0x7F80 ? Math.CopySign(Math.Pow(2, 128), x) : BFloat16.ToSingle(b);
        double dLo = Math.Abs(x - Value(lo)), dHi = Math.Abs(x - Value(hi));
        return dLo < dHi ? lo : dHi < dLo ? hi : (lo & 1) == 0 ? lo : hi;
    }

    private static IEnumerable<float> Specials()
    {
        yield return 0f;
        yield return -0f;
        yield return float.PositiveInfinity;
        yield return float.NegativeInfinity;
        yield return float.NaN;
        yield return BitConverter.UInt32BitsToSingle(0x7F80_0001);   // signalling NaN whose payload lies in the dropped half
        yield return BitConverter.UInt32BitsToSingle(0xFFC0_1234);   // negative quiet NaN
        yield return float.MaxValue;                                   // rounds up to +inf
        yield return -float.MaxValue;
        yield return BitConverter.UInt32BitsToSingle(0x7F7F_7FFF);   // just below the overflow tie: stays finite
        yield return BitConverter.UInt32BitsToSingle(0x7F7F_8000);   // the tie at the top: odd mantissa rounds to inf
        yield return float.Epsilon;                                    // smallest subnormal: rounds to 0
        yield return BitConverter.UInt32BitsToSingle(0x0000_8000);   // subnormal tie, even: stays 0
        yield return BitConverter.UInt32BitsToSingle(0x0001_8000);   // subnormal tie, odd: rounds up
        yield return 1f + 1f / 256;                                    // 1 + half an ulp of bf16: tie, even (1.0) wins
        yield return 1f + 3f / 256;                                    // tie with odd lower neighbour: rounds up
        yield return -(1f + 1f / 256);
        yield return BitConverter.UInt32BitsToSingle(0x3F80_8001);   // just above the tie: rounds up
        yield return BitConverter.UInt32BitsToSingle(0x3F80_7FFF);   // just below: rounds down
    }

    [Fact]
    public void FromSingle_SpecialsAndTies_MatchReference()
    {
        foreach (float x in Specials())
        {
            Assert.Equal(Reference(x), BFloat16.FromSingle(x));
        }
        Assert.Equal(0x8000, BFloat16.FromSingle(-0f));                        // negative zero keeps its sign
        Assert.Equal(0x3F80, BFloat16.FromSingle(1f + 1f / 256));              // tie to even
        Assert.Equal(0x3F82, BFloat16.FromSingle(1f + 3f / 256));              // tie to even (up)
        Assert.Equal(0x7F80, BFloat16.FromSingle(float.MaxValue));             // overflow to +inf
        Assert.True(float.IsNaN(BFloat16.ToSingle(BFloat16.FromSingle(BitConverter.UInt32BitsToSingle(0x7F80_0001)))));   // NaN never becomes inf
        Assert.True(float.IsNegative(BFloat16.ToSingle(BFloat16.FromSingle(BitConverter.UInt32BitsToSingle(0xFFC0_1234)))));
    }

    [Fact]
    public void FromSingle_RandomBitPatterns_MatchReference()
    {
        var rng = new Random(3);
        for (int i = 0; i < 200_000; i++)
        {
            float x = BitConverter.UInt32BitsToSingle((uint)rng.NextInt64(0, 1L << 32));
            ushort expected = Reference(x), actual = BFloat16.FromSingle(x);
            Assert.True(expected == actual, $"0x{BitConverter.SingleToUInt32Bits(x):X8}: expected 0x{expected:X4}, got 0x{actual:X4}");
        }
    }

    [Fact]
    public void ToSingleThenFromSingle_EveryNonSignallingBf16_RoundTripsExactly()
    {
        for (int b = 0; b < 65536; b++)
        {
            bool signallingNaN = (b & 0x7F80) == 0x7F80 && (b & 0x7F) != 0 && (b & 0x40) == 0;
            if (!signallingNaN)
            {
                Assert.Equal((ushort)b, BFloat16.FromSingle(BFloat16.ToSingle((ushort)b)));
            }
            Assert.Equal((uint)b << 16, BitConverter.SingleToUInt32Bits(BFloat16.ToSingle((ushort)b)));   // widening is a shift
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(1000)]
    public void NarrowWidenLoad16_VectorPaths_EqualScalar(int n)
    {
        var rng = new Random(n);
        float[] specials = [.. Specials()];
        float[] x = Enumerable.Range(0, n).Select(i => i % 7 == 3 ? specials[i % specials.Length] : BitConverter.UInt32BitsToSingle((uint)rng.NextInt64(0, 1L << 32))).ToArray();
        ushort[] narrow = new ushort[n];
        BFloat16.Narrow(x, narrow);
        Assert.Equal(x.Select(BFloat16.FromSingle).ToArray(), narrow);
        float[] wide = new float[n];
        BFloat16.Widen(narrow, wide);
        Assert.Equal(narrow.Select(b => BitConverter.SingleToUInt32Bits(BFloat16.ToSingle(b))).ToArray(), wide.Select(BitConverter.SingleToUInt32Bits).ToArray());
        fixed (ushort* p = narrow)
        {
            for (int i = 0; i + 16 <= n; i += 16)
            {
                var v = BFloat16.Load16(p + i);
                for (int j = 0; j < 16; j++)
                {
                    Assert.Equal(BitConverter.SingleToUInt32Bits(wide[i + j]), BitConverter.SingleToUInt32Bits(v.GetElement(j)));
                }
            }
        }
    }
}
