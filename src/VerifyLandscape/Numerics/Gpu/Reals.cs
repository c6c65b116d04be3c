namespace VerifyLandscape.Numerics.Gpu;

/// <summary>
/// The arithmetic of one floating-point type, as a struct the ILGPU kernels are generic over (ILGPU specialises a
/// kernel per struct type argument, so one kernel source serves float64 and float32). Every operation rounds in T.
/// </summary>
public interface IReal<T> where T : unmanaged
{
    T Of(double v);
    double ToDouble(T v);
    T Add(T a, T b);
    T Sub(T a, T b);
    T Mul(T a, T b);
    T Div(T a, T b);
    T Tanh(T a);
    T Exp(T a);
    T Log(T a);
    /// <summary>Unit roundoff u = 2^−53 (float64) or 2^−24 (float32): the tolerances of the cross-checks are multiples of it.</summary>
    double UnitRoundoff { get; }
}

public readonly struct Float64 : IReal<double>
{
    public double Of(double v) => v;
    public double ToDouble(double v) => v;
    public double Add(double a, double b) => a + b;
    public double Sub(double a, double b) => a - b;
    public double Mul(double a, double b) => a * b;
    public double Div(double a, double b) => a / b;
    public double Tanh(double a) => Math.Tanh(a);
    public double Exp(double a) => Math.Exp(a);
    public double Log(double a) => Math.Log(a);
    public double UnitRoundoff => Math.ScaleB(1, -53);
}

public readonly struct Float32 : IReal<float>
{
    public float Of(double v) => (float)v;
    public double ToDouble(float v) => v;
    public float Add(float a, float b) => a + b;
    public float Sub(float a, float b) => a - b;
    public float Mul(float a, float b) => a * b;
    public float Div(float a, float b) => a / b;
    public float Tanh(float a) => MathF.Tanh(a);
    public float Exp(float a) => MathF.Exp(a);
    public float Log(float a) => MathF.Log(a);
    public double UnitRoundoff => Math.ScaleB(1, -24);
}
