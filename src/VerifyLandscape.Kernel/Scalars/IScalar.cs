using System.Numerics;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Scalars;

/// <summary>
/// A number type the network engine can run on: double (<see cref="F64"/>),
/// exact <see cref="Rational"/>, rigorous <see cref="Intervals.Interval"/>, and the
/// exact symbolic ring <see cref="Symbolic.Sym"/>. The forward pass, loss,
/// gradient and Hessian are written once against this interface.
/// </summary>
public interface IScalar<T> :
    IAdditionOperators<T, T, T>, ISubtractionOperators<T, T, T>,
    IMultiplyOperators<T, T, T>, IUnaryNegationOperators<T, T>
    where T : IScalar<T>
{
    static abstract T Zero { get; }
    static abstract T One { get; }
    static abstract T FromRational(Rational q);
    /// <summary>True only when the value is known to be exactly 0 (a skip, never a rounding).</summary>
    static abstract bool IsExactZero(T a);
    /// <summary>-1, 0 or 1 when the sign is decided; null when this number type cannot decide it.</summary>
    static abstract int? SignOf(T a);
    /// <summary>Value, first and second derivative of a smooth non-polynomial activation at z.</summary>
    static abstract Jet<T> Smooth(SmoothActivation f, T z);
    /// <summary>σ(z) alone; number types where the derivatives cost as much as the value skip them.</summary>
    static virtual T SmoothValue(SmoothActivation f, T z) => T.Smooth(f, z).Value;
    static abstract T Exp(T a);
    static abstract T Log(T a);
    static abstract T Reciprocal(T a);
    /// <summary>
    /// max(a, b) where the sign of a − b is not decided: number types that enclose (intervals) return an enclosure of
    /// the maximum; the others cannot represent it and throw. Used by values at kinks (|r| = max(r, −r), a relu).
    /// </summary>
    static virtual T UndecidedMax(T a, T b) => throw new UndecidedException("the larger of two values whose order is not decided");
}

/// <summary>σ(z), σ'(z), σ''(z) at one point.</summary>
public readonly record struct Jet<T>(T Value, T First, T Second);

/// <summary>The number type cannot represent this value exactly (e.g. tanh(1/2) as a rational).</summary>
public sealed class NotExactException(string message) : Exception(message);

/// <summary>A quantity whose sign decides a branch (a relu switch) could not be decided.</summary>
public sealed class UndecidedException(string message) : Exception(message);

/// <summary>The point is not smooth: a piecewise-linear activation sits exactly on its kink.</summary>
public sealed class NonSmoothPointException(string message) : Exception(message);
