using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LlmSuite.Engine.Tensors;

/// <summary>
/// Vector operations of one SIMD width for the float dot-product kernels, with the weight element type
/// (f32 or bf16) folded into <see cref="LoadW"/>. Implemented by structs so generic kernels specialize per width.
/// </summary>
internal unsafe interface IF32Lanes<TV> where TV : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    static abstract TV Zero { get; }

    /// <summary>Loads Count floats.</summary>
    static abstract TV LoadX(float* p);

    /// <summary>Loads Count weights starting at element <paramref name="index"/> of <paramref name="w"/>, widened to float.</summary>
    static abstract TV LoadW(void* w, nint index);

    /// <summary>Scalar weight element widened to float (tails).</summary>
    static abstract float W(void* w, nint index);

    /// <summary>Bytes of one weight element (4 for f32, 2 for bf16).</summary>
    static abstract int WeightBytes { get; }

    /// <summary>a * b + c.</summary>
    static abstract TV Fma(TV a, TV b, TV c);

    static abstract float Sum(TV v);
}

internal readonly unsafe struct F32x512 : IF32Lanes<Vector512<float>>
{
    public static int Count => 16;
    public static int WeightBytes => sizeof(float);
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LoadX(float* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LoadW(void* w, nint i) => Vector512.Load((float*)w + i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float W(void* w, nint i) => ((float*)w)[i];
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector512<float> v) => Vector512.Sum(v);
}

internal readonly unsafe struct F32x256 : IF32Lanes<Vector256<float>>
{
    public static int Count => 8;
    public static int WeightBytes => sizeof(float);
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LoadX(float* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LoadW(void* w, nint i) => Vector256.Load((float*)w + i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float W(void* w, nint i) => ((float*)w)[i];
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector256<float> v) => Vector256.Sum(v);
}

internal readonly unsafe struct F32x128 : IF32Lanes<Vector128<float>>
{
    public static int Count => 4;
    public static int WeightBytes => sizeof(float);
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LoadX(float* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LoadW(void* w, nint i) => Vector128.Load((float*)w + i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float W(void* w, nint i) => ((float*)w)[i];
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Fma(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> v) => Vector128.Sum(v);
}

internal readonly unsafe struct BF16x512 : IF32Lanes<Vector512<float>>
{
    public static int Count => 16;
    public static int WeightBytes => sizeof(ushort);
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LoadX(float* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadW(void* w, nint i) => Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512UInt32(Vector256.Load((ushort*)w + i)), 16).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float W(void* w, nint i) => BitConverter.Int32BitsToSingle(((ushort*)w)[i] << 16);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector512<float> v) => Vector512.Sum(v);
}

internal readonly unsafe struct BF16x256 : IF32Lanes<Vector256<float>>
{
    public static int Count => 8;
    public static int WeightBytes => sizeof(ushort);
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LoadX(float* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadW(void* w, nint i) => Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32((ushort*)w + i), 16).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float W(void* w, nint i) => BitConverter.Int32BitsToSingle(((ushort*)w)[i] << 16);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector256<float> v) => Vector256.Sum(v);
}

internal readonly unsafe struct BF16x128 : IF32Lanes<Vector128<float>>
{
    public static int Count => 4;
    public static int WeightBytes => sizeof(ushort);
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LoadX(float* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadW(void* w, nint i) => Sse2.ShiftLeftLogical(Sse41.ConvertToVector128Int32((ushort*)w + i), 16).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float W(void* w, nint i) => BitConverter.Int32BitsToSingle(((ushort*)w)[i] << 16);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Fma(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> v) => Vector128.Sum(v);
}
