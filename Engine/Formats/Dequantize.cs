using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace LlmSuite.Engine.Formats;

/// <summary>
/// Decodes stored tensors to float32: plain F16/BF16 widening and ggml's block formats (Q8_0, Q4_0, Q4_K, Q6_K),
/// following ggml-quants.c's dequantize_row_* float operation order so the results match ggml bit for bit.
/// Load-time code: scalar and allocation free.
/// </summary>
public static class Dequantize
{
    /// <summary>Decodes <paramref name="src"/> of type <paramref name="type"/> into <paramref name="dst"/>.</summary>
    public static void ToF32(TensorDType type, ReadOnlySpan<byte> src /*[bytes]*/, Span<float> dst /*[values]*/)
    {
        long need = TensorDTypeInfo.ByteLength(type, dst.Length);
        if (dst.Length % TensorDTypeInfo.BlockSize(type) != 0 || src.Length != need)
        {
            throw new ArgumentException($"{type}: {dst.Length} values need {need} bytes (whole blocks of {TensorDTypeInfo.BlockSize(type)}), got {src.Length}");
        }
        switch (type)
        {
            case TensorDType.F32: MemoryMarshal.Cast<byte, float>(src).CopyTo(dst); break;
            case TensorDType.F16: System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(src), dst); break;
            case TensorDType.BF16: BF16(MemoryMarshal.Cast<byte, ushort>(src), dst); break;
            case TensorDType.Q8_0: Q8_0(src, dst); break;
            case TensorDType.Q4_0: Q4_0(src, dst); break;
            case TensorDType.Q4_K: Q4_K(src, dst); break;
            case TensorDType.Q6_K: Q6_K(src, dst); break;
            default: throw new NotSupportedException($"cannot decode {type}");
        }
    }

    /// <summary>bfloat16 bits → float32.</summary>
    public static void BF16(ReadOnlySpan<ushort> src /*[n]*/, Span<float> dst /*[n]*/)
    {
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = BitConverter.Int32BitsToSingle(src[i] << 16);
        }
    }

    /// <summary>Q8_0: { f16 d; int8 q[32] } → q * d.</summary>
    public static void Q8_0(ReadOnlySpan<byte> blocks /*[n / 32 * 34]*/, Span<float> dst /*[n]*/)
    {
        for (int b = 0; b < dst.Length / 32; b++)
        {
            ReadOnlySpan<byte> x = blocks.Slice(b * 34, 34);
            float d = F16(x, 0);
            for (int j = 0; j < 32; j++)
            {
                dst[b * 32 + j] = (sbyte)x[2 + j] * d;
            }
        }
    }

    /// <summary>Q4_0: { f16 d; u8 qs[16] }: value j = ((qs[j] &amp; 15) - 8) * d, value j + 16 = ((qs[j] &gt;&gt; 4) - 8) * d.</summary>
    public static void Q4_0(ReadOnlySpan<byte> blocks /*[n / 32 * 18]*/, Span<float> dst /*[n]*/)
    {
        for (int b = 0; b < dst.Length / 32; b++)
        {
            ReadOnlySpan<byte> x = blocks.Slice(b * 18, 18);
            float d = F16(x, 0);
            for (int j = 0; j < 16; j++)
            {
                int q = x[2 + j];
                dst[b * 32 + j] = ((q & 0x0F) - 8) * d;
                dst[b * 32 + j + 16] = ((q >> 4) - 8) * d;
            }
        }
    }

    /// <summary>
    /// Q4_K super-block of 256: { f16 d; f16 dmin; u8 scales[12]; u8 qs[128] }. Eight sub-blocks of 32 have 6-bit
    /// scale and min packed in scales[12]; value = d * scale * q - dmin * min, q a nibble.
    /// </summary>
    public static void Q4_K(ReadOnlySpan<byte> blocks /*[n / 256 * 144]*/, Span<float> dst /*[n]*/)
    {
        int y = 0;
        for (int b = 0; b < dst.Length / 256; b++)
        {
            ReadOnlySpan<byte> x = blocks.Slice(b * 144, 144);
            float d = F16(x, 0);
            float min = F16(x, 2);
            ReadOnlySpan<byte> scales = x.Slice(4, 12);
            ReadOnlySpan<byte> q = x.Slice(16, 128);
            int sub = 0;
            for (int j = 0; j < 256; j += 64)
            {
                ScaleMinK4(sub, scales, out int sc, out int m);
                float d1 = d * sc, m1 = min * m;
                ScaleMinK4(sub + 1, scales, out sc, out m);
                float d2 = d * sc, m2 = min * m;
                for (int l = 0; l < 32; l++)
                {
                    dst[y++] = d1 * (q[l] & 0xF) - m1;
                }
                for (int l = 0; l < 32; l++)
                {
                    dst[y++] = d2 * (q[l] >> 4) - m2;
                }
                q = q.Slice(32);
                sub += 2;
            }
        }
    }

    /// <summary>
    /// Q6_K super-block of 256: { u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d }. A 6-bit quant is 4 low bits from ql
    /// and 2 high bits from qh, minus 32; value = d * scales[sub-block of 16] * q.
    /// </summary>
    public static void Q6_K(ReadOnlySpan<byte> blocks /*[n / 256 * 210]*/, Span<float> dst /*[n]*/)
    {
        for (int b = 0; b < dst.Length / 256; b++)
        {
            ReadOnlySpan<byte> x = blocks.Slice(b * 210, 210);
            float d = F16(x, 208);
            ReadOnlySpan<byte> ql = x.Slice(0, 128);
            ReadOnlySpan<byte> qh = x.Slice(128, 64);
            ReadOnlySpan<sbyte> sc = MemoryMarshal.Cast<byte, sbyte>(x.Slice(192, 16));
            Span<float> yv = dst.Slice(b * 256, 256);
            for (int n = 0; n < 256; n += 128)
            {
                for (int l = 0; l < 32; l++)
                {
                    int s = l / 16;
                    int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                    int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                    int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                    int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                    yv[l] = d * sc[s] * q1;
                    yv[l + 32] = d * sc[s + 2] * q2;
                    yv[l + 64] = d * sc[s + 4] * q3;
                    yv[l + 96] = d * sc[s + 6] * q4;
                }
                yv = yv.Slice(128);
                ql = ql.Slice(64);
                qh = qh.Slice(32);
                sc = sc.Slice(8);
            }
        }
    }

    /// <summary>Unpacks the 6-bit scale and min of sub-block <paramref name="j"/> (0..7) from Q4_K's 12 bytes.</summary>
    private static void ScaleMinK4(int j, ReadOnlySpan<byte> q /*[12]*/, out int scale, out int min)
    {
        if (j < 4)
        {
            scale = q[j] & 63;
            min = q[j + 4] & 63;
        }
        else
        {
            scale = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
            min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
        }
    }

    private static float F16(ReadOnlySpan<byte> x, int offset) => (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(x.Slice(offset)));
}
