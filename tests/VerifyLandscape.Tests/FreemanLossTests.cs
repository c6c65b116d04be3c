using FsCheck.Fluent;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;
using VerifyLandscape.Scalars;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Tests;

/// <summary>002's loss conventions: mse (1/N Σ‖·‖², no ½), mae (mean over every entry), ridge κ‖W‖² and ℓ1 κ‖W‖₁.</summary>
public class FreemanLossTests
{
    [Fact]
    public void MseIsSseOverNAndMaeIsTheMeanOverEveryEntry()
    {
        var mse = Loss.Of(LossKind.Mse, 4, 2).Apply<Rational>([3, Rational.Half], [1, 0]);
        // g = (1/4)((3−1)² + (1/2)²) = 17/16, ∂g = (1/2)(f − y), ∂²g = (1/2) I
        Assert.Equal(Rational.Create(17, 16), mse.Value);
        Assert.Equal([1, Rational.Create(1, 4)], mse.Gradient);
        Assert.Equal([Rational.Half, 0, 0, Rational.Half], mse.Hessian);
        var mae = Loss.Of(LossKind.Mae, 4, 2).Apply<Rational>([-3, Rational.Half], [1, 1]);
        // g = (1/8)(|−4| + |−1/2|) = 9/16, ∂g = (1/8) sign(f − y), ∂²g = 0
        Assert.Equal(Rational.Create(9, 16), mae.Value);
        Assert.Equal([Rational.Create(-1, 8), Rational.Create(-1, 8)], mae.Gradient);
        Assert.All(mae.Hessian, h => Assert.True(h.IsZero));
        Assert.Throws<NonSmoothPointException>(() => Loss.Of(LossKind.Mae, 1, 1).Apply<Rational>([1], [1]));
        Assert.Throws<UndecidedException>(() => Loss.Of(LossKind.Mae, 1, 1).Apply<Interval>([new Interval(0.5, 1.5)], [1]));
    }

    [Fact]
    public void RidgeKappaIsWeightDecayTwoKappaAndL1AddsKappaSign()
    {
        const string data = "\"data\": {\"x\": [[\"1\"]], \"y\": [[\"1\"]]}";
        var ridge = SpecReader.Parse("{\"widths\": [1, 1, 1], \"activation\": \"identity\", \"bias\": false, \"loss\": \"mse\", \"penalty\": {\"l2\": \"1/4\"}, " + data + "}");
        Assert.Equal(Rational.Half, ridge.WeightDecay);
        // F = (1 − ab)² + (1/4)(a² + b²) at (a, b) = (2, −1): 9 + 5/4; ∂F/∂a = −2b(1 − ab) + a/2 = 7
        var d = new NetworkDerivatives<Rational>(ridge, [2, -1]);
        Assert.Equal(Rational.Create(41, 4), d.Loss);
        Assert.Equal(7, d.Gradient[0]);
        var lasso = SpecReader.Parse("{\"widths\": [1, 1, 1], \"activation\": \"identity\", \"bias\": false, \"loss\": \"mse\", \"penalty\": {\"l1\": \"1/4\"}, " + data + "}");
        // F = (1 − ab)² + (1/4)(|a| + |b|) at (2, −1): 9 + 3/4; ∂F/∂a = 6 + 1/4, ∂F/∂b = −12 − 1/4
        var l = new NetworkDerivatives<Rational>(lasso, [2, -1]);
        Assert.Equal(Rational.Create(39, 4), l.Loss);
        Assert.Equal([Rational.Create(25, 4), Rational.Create(-49, 4)], l.Gradient);
        Assert.Throws<NonSmoothPointException>(() => new NetworkDerivatives<Rational>(lasso, [0, 1]));
        Assert.Throws<NonSmoothPointException>(() => new DenseNetwork(lasso, [0, 1]));
        Assert.Equal(SpecWriter.ToJsonString(lasso), SpecWriter.ToJsonString(SpecReader.Parse(SpecWriter.ToJsonString(lasso))));
    }

    /// <summary>Cases with 002's losses and, half the time, an ℓ1 penalty of 1/10.</summary>
    private static FsCheck.Arbitrary<NetworkCase> FreemanCases() => Arb.From(
        from c in NetworkCases.Generator(NetworkCases.AnyActivation, losses: [LossKind.Mse, LossKind.Mae])
        from l1 in Gen.Elements(Rational.Zero, Rational.Create(1, 10))
        select c with { Spec = c.Spec.With(l1: l1) }, NetworkCases.Shrink);

    [Fact]
    public void ExactDoubleAndIntervalEnginesAgreeOnFreemanLosses()
    {
        // Where no kink (relu switch, zero residual under mae, zero weight under ℓ1) is undecided, the interval engine
        // decides the same branches: rational = double to 1e-10 relative, and the interval result encloses the double one.
        PropertyCheck.Run("mse/mae/ℓ1: rational (where exact) = double, intervals enclose double", FreemanCases(), c =>
        {
            NetworkDerivatives<Interval> box;
            try { box = new NetworkDerivatives<Interval>(c.Spec, c.Point.Select(Interval.FromRational).ToArray()); }
            catch (Exception e) when (e is NonSmoothPointException or UndecidedException) { return true; }
            var dbl = new NetworkDerivatives<F64>(c.Spec, c.Point.Select(q => new F64(q.ToDouble())).ToArray());
            var dense = new DenseNetwork(c.Spec, c.Point.Select(q => q.ToDouble()).ToArray());
            double scale = 1 + Math.Abs(dbl.Loss.Value);
            bool ok = Near(box.Loss, dbl.Loss.Value, 1e-9 * scale) && Math.Abs(dense.Loss - dbl.Loss.Value) <= 1e-10 * scale;
            for (int p = 0; p < dbl.Gradient.Length; p++)
                ok &= Near(box.Gradient[p], dbl.Gradient[p].Value, 1e-9 * (1 + Math.Abs(dbl.Gradient[p].Value)))
                      && Math.Abs(dense.Gradient[p] - dbl.Gradient[p].Value) <= 1e-10 * (1 + Math.Abs(dbl.Gradient[p].Value));
            return ok;
        }, trials: 150);
    }

    private static bool Near(Interval box, double x, double tolerance) => box.Lo - tolerance <= x && x <= box.Hi + tolerance;
}
