using System.Globalization;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Scalars;

/// <summary>IEEE double precision, for speed and for cross-checks against the exact types.</summary>
public readonly record struct F64(double Value) : IScalar<F64>
{
    public static F64 Zero => new(0);
    public static F64 One => new(1);
    public static F64 FromRational(Rational q) => new(q.ToDouble());
    public static bool IsExactZero(F64 a) => a.Value == 0;
    public static int? SignOf(F64 a) => double.IsNaN(a.Value) ? null : Math.Sign(a.Value);
    public static Jet<F64> Smooth(SmoothActivation f, F64 z)
    {
        var (v, d1, d2) = f.Evaluate(z.Value);
        return new(new(v), new(d1), new(d2));
    }
    public static F64 Exp(F64 a) => new(Math.Exp(a.Value));
    public static F64 Log(F64 a) => new(Math.Log(a.Value));
    public static F64 Reciprocal(F64 a) => new(1 / a.Value);
    public static F64 operator +(F64 a, F64 b) => new(a.Value + b.Value);
    public static F64 operator -(F64 a, F64 b) => new(a.Value - b.Value);
    public static F64 operator *(F64 a, F64 b) => new(a.Value * b.Value);
    public static F64 operator -(F64 a) => new(-a.Value);
    public static implicit operator double(F64 a) => a.Value;
    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}
