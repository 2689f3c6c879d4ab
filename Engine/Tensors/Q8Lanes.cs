using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LlmSuite.Engine.Tensors;

/// <summary>
/// One SIMD path of the Q8_0 int8 dot product: <see cref="LoadX"/> prepares a 32-value activation block once,
/// <see cref="Dot"/> multiplies it with a 32-value weight block (offset binary: stored byte = q + 128) exactly in
/// int32 and returns the partial sums as a float vector (lanes sum to the block's integer dot product Σ q·x),
/// which the kernel scales and accumulates.
/// </summary>
internal unsafe interface IQ8Lanes<TV, TX> where TV : struct where TX : struct
{
    static abstract TV Zero { get; }

    static abstract TX LoadX(sbyte* x /*[32]*/);

    static abstract TV Dot(in TX x, byte* w /*[32], q + 128*/);

    /// <summary>c + a * broadcast(s).</summary>
    static abstract TV FmaScalar(TV a, float s, TV c);

    static abstract float Sum(TV v);
}

/// <summary>AVX-512BW: back to int8 (xor 0x80), sign-extend to int16 (vpmovsxbw) and vpmaddwd, one block per zmm.</summary>
internal readonly unsafe struct Q8x512 : IQ8Lanes<Vector512<float>, Vector512<short>>
{
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<short> LoadX(sbyte* x) => Avx512BW.ConvertToVector512Int16(Vector256.Load(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Dot(in Vector512<short> x, byte* w)
        => Avx512F.ConvertToVector512Single(Avx512BW.MultiplyAddAdjacent(x, Avx512BW.ConvertToVector512Int16((Vector256.Load(w) ^ Vector256.Create((byte)0x80)).AsSByte())));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FmaScalar(Vector512<float> a, float s, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, Vector512.Create(s), c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector512<float> v) => Vector512.Sum(v);
}

/// <summary>An activation block for AVX-VNNI: the int8 values and -128 · (sum of each 4 values) per int32 lane.</summary>
internal struct VnniBlock
{
    public Vector256<sbyte> X;
    public Vector256<int> NegativeOffset;
}

/// <summary>
/// AVX-VNNI: vpdpbusd multiplies the unsigned stored bytes (q + 128) with signed x; starting the accumulator at
/// -128 · Σx (per lane, computed once per activation block) leaves exactly Σ q·x. One block per ymm.
/// </summary>
internal readonly unsafe struct Q8Vnni256 : IQ8Lanes<Vector256<float>, VnniBlock>
{
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VnniBlock LoadX(sbyte* x)
    {
        Vector256<sbyte> v = Vector256.Load(x);
        Vector256<int> offset = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, Vector256.Create((byte)128), v);
        return new VnniBlock { X = v, NegativeOffset = Vector256<int>.Zero - offset };
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Dot(in VnniBlock x, byte* w)
        => Avx.ConvertToVector256Single(AvxVnni.MultiplyWideningAndAdd(x.NegativeOffset, Vector256.Load(w), x.X));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FmaScalar(Vector256<float> a, float s, Vector256<float> c) => Fma.MultiplyAdd(a, Vector256.Create(s), c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector256<float> v) => Vector256.Sum(v);
}

/// <summary>A 32-value activation block sign-extended to int16 in two halves.</summary>
internal struct Short256x2
{
    public Vector256<short> Lo, Hi;
}

/// <summary>AVX2 without VNNI: xor 0x80, vpmovsxbw + vpmaddwd on two ymm halves per block.</summary>
internal readonly unsafe struct Q8x256 : IQ8Lanes<Vector256<float>, Short256x2>
{
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Short256x2 LoadX(sbyte* x) => new() { Lo = Avx2.ConvertToVector256Int16(x), Hi = Avx2.ConvertToVector256Int16(x + 16) };
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Dot(in Short256x2 x, byte* w)
    {
        Vector256<sbyte> q = (Vector256.Load(w) ^ Vector256.Create((byte)0x80)).AsSByte();
        return Avx.ConvertToVector256Single(Avx2.Add(
            Avx2.MultiplyAddAdjacent(x.Lo, Avx2.ConvertToVector256Int16(q.GetLower())),
            Avx2.MultiplyAddAdjacent(x.Hi, Avx2.ConvertToVector256Int16(q.GetUpper()))));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FmaScalar(Vector256<float> a, float s, Vector256<float> c) => Fma.MultiplyAdd(a, Vector256.Create(s), c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector256<float> v) => Vector256.Sum(v);
}

/// <summary>A 32-value activation block sign-extended to int16 in four quarters.</summary>
internal struct Short128x4
{
    public Vector128<short> A, B, C, D;
}

/// <summary>SSE4.1: xor 0x80, pmovsxbw + pmaddwd on four xmm quarters per block.</summary>
internal readonly unsafe struct Q8x128 : IQ8Lanes<Vector128<float>, Short128x4>
{
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Short128x4 LoadX(sbyte* x) => new()
    {
        A = Sse41.ConvertToVector128Int16(x),
        B = Sse41.ConvertToVector128Int16(x + 8),
        C = Sse41.ConvertToVector128Int16(x + 16),
        D = Sse41.ConvertToVector128Int16(x + 24),
    };
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Dot(in Short128x4 x, byte* w)
    {
        Vector128<sbyte> lo = (Vector128.Load(w) ^ Vector128.Create((byte)0x80)).AsSByte();
        Vector128<sbyte> hi = (Vector128.Load(w + 16) ^ Vector128.Create((byte)0x80)).AsSByte();
        var ab = Sse2.Add(Sse2.MultiplyAddAdjacent(x.A, Sse41.ConvertToVector128Int16(lo)), Sse2.MultiplyAddAdjacent(x.B, Sse41.ConvertToVector128Int16(Sse2.ShiftRightLogical128BitLane(lo, 8))));
        var cd = Sse2.Add(Sse2.MultiplyAddAdjacent(x.C, Sse41.ConvertToVector128Int16(hi)), Sse2.MultiplyAddAdjacent(x.D, Sse41.ConvertToVector128Int16(Sse2.ShiftRightLogical128BitLane(hi, 8))));
        return Sse2.ConvertToVector128Single(Sse2.Add(ab, cd));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FmaScalar(Vector128<float> a, float s, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, Vector128.Create(s), c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> v) => Vector128.Sum(v);
}
