using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LlmSuite.Engine.Tensors;

/// <summary>
/// Float vector operations of one width for the elementwise kernels (RmsNorm, SwiGlu, Softmax, RoPE), so each
/// kernel is one generic loop specialized per width (operator structs as in TensorPrimitives).
/// </summary>
internal unsafe interface IVecOps<TV> where TV : struct
{
    static abstract int Count { get; }
    static abstract TV Create(float value);
    static abstract TV Load(float* p);
    static abstract void Store(TV v, float* p);
    static abstract TV Add(TV a, TV b);
    static abstract TV Sub(TV a, TV b);
    static abstract TV Mul(TV a, TV b);
    static abstract TV Div(TV a, TV b);
    static abstract TV Fma(TV a, TV b, TV c);
    static abstract TV Max(TV a, TV b);
    static abstract TV Exp(TV v);
    static abstract float Sum(TV v);
    static abstract float MaxAcross(TV v);
}

internal readonly unsafe struct Vec512 : IVecOps<Vector512<float>>
{
    public static int Count => 16;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Create(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> v, float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sub(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Div(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Exp(Vector512<float> v) => Vector512.Exp(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector512<float> v) => Vector512.Sum(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxAcross(Vector512<float> v) => Vec256.MaxAcross(Vector256.Max(v.GetLower(), v.GetUpper()));
}

internal readonly unsafe struct Vec256 : IVecOps<Vector256<float>>
{
    public static int Count => 8;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Create(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> v, float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sub(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Div(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Exp(Vector256<float> v) => Vector256.Exp(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector256<float> v) => Vector256.Sum(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxAcross(Vector256<float> v) => Vec128.MaxAcross(Vector128.Max(v.GetLower(), v.GetUpper()));
}

internal readonly unsafe struct Vec128 : IVecOps<Vector128<float>>
{
    public static int Count => 4;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Create(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> v, float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Sub(Vector128<float> a, Vector128<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Mul(Vector128<float> a, Vector128<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Div(Vector128<float> a, Vector128<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Fma(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Exp(Vector128<float> v) => Vector128.Exp(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> v) => Vector128.Sum(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector128<float> v) => MathF.Max(MathF.Max(v.GetElement(0), v.GetElement(1)), MathF.Max(v.GetElement(2), v.GetElement(3)));
}
