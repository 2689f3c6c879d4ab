using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LlmSuite.Engine.Tensors;

/// <summary>
/// One SIMD path of the Q8_0 int8 dot product: <see cref="LoadX"/> prepares a 32-value activation block once,
/// <see cref="Dot"/> multiplies it with a 32-value weight block exactly in int32 and returns the partial sums
/// as a float vector (lanes sum to the block's integer dot product), which the kernel scales and accumulates.
/// </summary>
internal unsafe interface IQ8Lanes<TV, TX> where TV : struct where TX : struct
{
    static abstract TV Zero { get; }

    static abstract TX LoadX(sbyte* x /*[32]*/);

    static abstract TV Dot(in TX x, sbyte* w /*[32]*/);

    /// <summary>c + a * broadcast(s).</summary>
    static abstract TV FmaScalar(TV a, float s, TV c);

    static abstract float Sum(TV v);
}

/// <summary>AVX-512BW: sign-extend to int16 (vpmovsxbw) and vpmaddwd, one block per zmm.</summary>
internal readonly unsafe struct Q8x512 : IQ8Lanes<Vector512<float>, Vector512<short>>
{
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<short> LoadX(sbyte* x) => Avx512BW.ConvertToVector512Int16(Vector256.Load(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Dot(in Vector512<short> x, sbyte* w)
        => Avx512F.ConvertToVector512Single(Avx512BW.MultiplyAddAdjacent(x, Avx512BW.ConvertToVector512Int16(Vector256.Load(w))));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FmaScalar(Vector512<float> a, float s, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, Vector512.Create(s), c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector512<float> v) => Vector512.Sum(v);
}

/// <summary>AVX-VNNI: vpdpbusd on |w| and sign(x, w), one block per ymm.</summary>
internal readonly unsafe struct Q8Vnni256 : IQ8Lanes<Vector256<float>, Vector256<sbyte>>
{
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<sbyte> LoadX(sbyte* x) => Vector256.Load(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Dot(in Vector256<sbyte> x, sbyte* w)
    {
        Vector256<sbyte> wv = Vector256.Load(w);
        return Avx.ConvertToVector256Single(AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, Avx2.Abs(wv), Avx2.Sign(x, wv)));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FmaScalar(Vector256<float> a, float s, Vector256<float> c) => Fma.MultiplyAdd(a, Vector256.Create(s), c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector256<float> v) => Vector256.Sum(v);
}

/// <summary>A 32-value activation block sign-extended to int16 in two halves.</summary>
internal struct Short256x2
{
    public Vector256<short> Lo, Hi;
}

/// <summary>AVX2 without VNNI: vpmovsxbw + vpmaddwd on two ymm halves per block.</summary>
internal readonly unsafe struct Q8x256 : IQ8Lanes<Vector256<float>, Short256x2>
{
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Short256x2 LoadX(sbyte* x) => new() { Lo = Avx2.ConvertToVector256Int16(x), Hi = Avx2.ConvertToVector256Int16(x + 16) };
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Dot(in Short256x2 x, sbyte* w)
        => Avx.ConvertToVector256Single(Avx2.Add(
            Avx2.MultiplyAddAdjacent(x.Lo, Avx2.ConvertToVector256Int16(w)),
            Avx2.MultiplyAddAdjacent(x.Hi, Avx2.ConvertToVector256Int16(w + 16))));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FmaScalar(Vector256<float> a, float s, Vector256<float> c) => Fma.MultiplyAdd(a, Vector256.Create(s), c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector256<float> v) => Vector256.Sum(v);
}

/// <summary>A 32-value activation block sign-extended to int16 in four quarters.</summary>
internal struct Short128x4
{
    public Vector128<short> A, B, C, D;
}

/// <summary>SSE4.1: pmovsxbw + pmaddwd on four xmm quarters per block.</summary>
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
    public static Vector128<float> Dot(in Short128x4 x, sbyte* w)
    {
        var ab = Sse2.Add(Sse2.MultiplyAddAdjacent(x.A, Sse41.ConvertToVector128Int16(w)), Sse2.MultiplyAddAdjacent(x.B, Sse41.ConvertToVector128Int16(w + 8)));
        var cd = Sse2.Add(Sse2.MultiplyAddAdjacent(x.C, Sse41.ConvertToVector128Int16(w + 16)), Sse2.MultiplyAddAdjacent(x.D, Sse41.ConvertToVector128Int16(w + 24)));
        return Sse2.ConvertToVector128Single(Sse2.Add(ab, cd));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FmaScalar(Vector128<float> a, float s, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, Vector128.Create(s), c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> v) => Vector128.Sum(v);
}
