using FsCheck.Fluent;
using FsCheck.Xunit;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using VerifyLandscape.Scalars;
using VerifyLandscape.Symbolic;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Tests;

/// <summary>The one generic engine, run on every number type, must tell one story.</summary>
public class EngineAgreementTests
{
    private static NetworkDerivatives<F64> Double(NetworkCase c, Rational[]? point = null) =>
        new(c.Spec, (point ?? c.Point).Select(q => new F64(q.ToDouble())).ToArray());

    /// <summary>Cases on which no relu switch sits on its kink (the derivative exists).</summary>
    private static bool Smooth(NetworkCase c)
    {
        try { _ = new NetworkDerivatives<Interval>(c.Spec, c.Point.Select(Interval.FromRational).ToArray()); return true; }
        catch (Exception e) when (e is NonSmoothPointException or UndecidedException) { return false; }
    }

    [Fact]
    public void DoubleGradientAgreesWithCentralDifferences()
    {
        // Step h = 1e-5 (1 + |θ_p|): truncation error O(h² L''') and rounding error O(ε L / h) are both
        // below 1e-6 (1 + |L| + |g|) for these small networks with entries of size at most 6.
        PropertyCheck.Run("double gradient = central differences of the double loss", NetworkCases.Arbitrary(losses: [LossKind.Sse, LossKind.HalfMse, LossKind.CrossEntropy]), c =>
        {
            if (!Smooth(c)) return true;
            var theta = c.Point.Select(q => q.ToDouble()).ToArray();
            var d = new NetworkDerivatives<F64>(c.Spec, theta.Select(t => new F64(t)).ToArray());
            for (int p = 0; p < theta.Length; p++)
            {
                double h = 1e-5 * (1 + Math.Abs(theta[p]));
                var plus = (double[])theta.Clone(); plus[p] += h;
                var minus = (double[])theta.Clone(); minus[p] -= h;
                double fd;
                try { fd = (Loss(c.Spec, plus) - Loss(c.Spec, minus)) / (2 * h); }
                catch (NonSmoothPointException) { continue; } // the step crossed a kink
                double g = d.Gradient[p];
                if (Math.Abs(fd - g) > 1e-6 * (1 + Math.Abs(d.Loss) + Math.Abs(g)) && !CrossesKink(c.Spec, theta, p, h)) return false;
            }
            return true;
        }, trials: 150);
    }

    private static double Loss(NetworkSpec s, double[] theta) => new NetworkDerivatives<F64>(s, theta.Select(t => new F64(t)).ToArray()).Loss;

    // A relu switch may flip inside [θ−h, θ+h]; central differences are meaningless there.
    private static bool CrossesKink(NetworkSpec s, double[] theta, int p, double h)
    {
        var box = theta.Select(t => Interval.Point(t)).ToArray();
        box[p] = new Interval(theta[p] - h, theta[p] + h);
        try { _ = new NetworkDerivatives<Interval>(s, box); return false; }
        catch (Exception e) when (e is UndecidedException or NonSmoothPointException) { return true; }
    }

    [Fact]
    public void RationalEngineEqualsDoubleEngine()
    {
        // Relative tolerance 1e-10 of the largest magnitude: a handful of operations on numbers of
        // size ≤ 6^depth, each with relative error 1.1e-16, stays many orders below this.
        PropertyCheck.Run("exact rational loss, gradient and Hessian = double ones to 1e-10 relative",
            NetworkCases.Arbitrary(NetworkCases.ExactActivation, outputs: Gen.Constant(Activation.Identity)), c =>
        {
            if (!Smooth(c)) return true;
            var exact = new NetworkDerivatives<Rational>(c.Spec, c.Point);
            var dbl = Double(c);
            var he = exact.Hessian(); var hd = dbl.Hessian();
            if (exact.Gradient.Length != dbl.Gradient.Length || he.Length != hd.Length) return false; // Zip would drop the tail
            var all = new List<(Rational, double)> { (exact.Loss, dbl.Loss) };
            all.AddRange(exact.Gradient.Zip(dbl.Gradient, (a, b) => (a, b.Value)));
            for (int i = 0; i < he.GetLength(0); i++) for (int j = 0; j < he.GetLength(1); j++) all.Add((he[i, j], hd[i, j].Value));
            double scale = 1 + all.Max(t => Math.Abs(t.Item1.ToDouble()));
            return all.All(t => Math.Abs(t.Item1.ToDouble() - t.Item2) <= 1e-10 * scale);
        }, trials: 150);
    }

    [Fact]
    public void IntervalEngineEnclosesTheExactAndTheDoubleResults()
    {
        PropertyCheck.Run("interval loss/gradient/Hessian enclose the rational result, and the double one widened by 1e-9",
            NetworkCases.Arbitrary(losses: [LossKind.Sse, LossKind.HalfMse, LossKind.CrossEntropy]), c =>
        {
            if (!Smooth(c)) return true;
            var iv = new NetworkDerivatives<Interval>(c.Spec, c.Point.Select(Interval.FromRational).ToArray());
            var dbl = Double(c);
            var hi = iv.Hessian(); var hd = dbl.Hessian();
            if (iv.Gradient.Length != dbl.Gradient.Length || hi.Length != hd.Length) return false; // Zip would drop the tail
            var pairs = new List<(Interval, double)> { (iv.Loss, dbl.Loss) };
            pairs.AddRange(iv.Gradient.Zip(dbl.Gradient, (a, b) => (a, b.Value)));
            for (int i = 0; i < hi.GetLength(0); i++) for (int j = 0; j < hi.GetLength(1); j++) pairs.Add((hi[i, j], hd[i, j].Value));
            if (!pairs.All(t => t.Item1.Lo - 1e-9 * (1 + Math.Abs(t.Item2)) <= t.Item2 && t.Item2 <= t.Item1.Hi + 1e-9 * (1 + Math.Abs(t.Item2))))
                return false;
            // Where the rational engine applies, the enclosure must hold the exact value itself.
            NetworkDerivatives<Rational> exact;
            try { exact = new NetworkDerivatives<Rational>(c.Spec, c.Point); }
            catch (NotExactException) { return true; }
            var he = exact.Hessian();
            bool Holds(Interval i, Rational q) => Interval.FromRational(q) is var e && i.Lo <= e.Hi && e.Lo <= i.Hi && i.Lo <= q.ToDouble() && q.ToDouble() <= i.Hi;
            if (!Holds(iv.Loss, exact.Loss)) return false;
            for (int p = 0; p < exact.Gradient.Length; p++) if (!Holds(iv.Gradient[p], exact.Gradient[p])) return false;
            for (int i = 0; i < he.GetLength(0); i++) for (int j = 0; j < he.GetLength(1); j++) if (!Holds(hi[i, j], he[i, j])) return false;
            return true;
        }, trials: 150);
    }

    [Fact]
    public void SymbolicRingWithSymbolsReplacedEqualsRationalEngine()
    {
        var gen = from c in NetworkCases.Generator(Gen.Elements<Activation>(Activation.Identity,
                      new PolynomialActivation([0, 1, Rational.Create(1, 2)]), new PolynomialActivation([Rational.Create(1, 3), 1, 0, Rational.Create(-1, 3)])),
                      maxDepth: 3, maxWidth: 2, maxSamples: 2, outputs: Gen.Constant(Activation.Identity))
                  from mask in Gen.ArrayOf(Gen.Elements(true, false), c.Spec.ParameterCount)
                  select (c, mask);
        PropertyCheck.Run("ring results, symbols then replaced by the point's rationals, = rational engine",
            Arb.From(gen), t =>
        {
            var (c, free) = t;
            var point = c.Point;
            var names = c.Spec.Layout.Names;
            var symbolic = point.Select((q, p) => free[p] ? Sym.Variable(Symbols.Parameter(names[p])) : (Sym)q).ToArray();
            var ring = new NetworkDerivatives<Sym>(c.Spec, symbolic);
            var exact = new NetworkDerivatives<Rational>(c.Spec, point);
            var values = names.Select((n, p) => (n, p)).ToDictionary(x => x.n, x => point[x.p]);
            Sym? Value(Symbol s) => values.TryGetValue(s.Name, out var q) ? q : null;
            bool Same(Sym s, Rational q) => s.Substitute(Value) is var r && r.IsConstant && r.Constant == q;
            if (!Same(ring.Loss, exact.Loss)) return false;
            for (int p = 0; p < point.Length; p++) if (!Same(ring.Gradient[p], exact.Gradient[p])) return false;
            var hs = ring.Hessian(); var he = exact.Hessian();
            for (int i = 0; i < point.Length; i++) for (int j = 0; j < point.Length; j++) if (!Same(hs[i, j], he[i, j])) return false;
            return true;
        }, trials: 60);
    }

    /// <summary>An FsCheck.Xunit property: the network is a parameter; on failure FsCheck prints the seed and the shrunk case.</summary>
    [Property(Arbitrary = [typeof(VlArbitraries)], Replay = VlArbitraries.Replay, MaxTest = 150)]
    public bool HessianIsSymmetric(NetworkCase c)
    {
        // Exact Hessian symmetric exactly; double Hessian to 1e-12 relative.
        if (!Smooth(c)) return true;
        var hd = Double(c).Hessian();
        int n = hd.GetLength(0);
        double scale = 1;
        foreach (var v in hd) scale = Math.Max(scale, Math.Abs(v.Value));
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) if (Math.Abs(hd[i, j] - hd[j, i]) > 1e-12 * scale) return false;
        try
        {
            var he = new NetworkDerivatives<Rational>(c.Spec, c.Point).Hessian();
            for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) if (he[i, j] != he[j, i]) return false;
        }
        catch (NotExactException) { }
        return true;
    }

    [Fact]
    public void HessianVectorProductMatchesDifferencesOfGradients()
    {
        // Central difference of the gradient along v with step 1e-5: error O(h²) ≈ 1e-10 times third derivatives.
        PropertyCheck.Run("double H v = (∇L(θ+hv) − ∇L(θ−hv)) / 2h to 1e-5 relative",
            NetworkCases.Arbitrary(Gen.Elements(Activation.Tanh, Activation.Sigmoid, Activation.Swish, new Softplus(2), Activation.Identity)), c =>
        {
            var theta = c.Point.Select(q => q.ToDouble()).ToArray();
            var v = Point.RandomRationals(theta.Length, c.PointSeed + 1).Select(q => q.ToDouble()).ToArray();
            var d = new NetworkDerivatives<F64>(c.Spec, theta.Select(t => new F64(t)).ToArray());
            var hv = d.HessianVector(v.Select(x => new F64(x)).ToArray());
            const double h = 1e-5;
            var gp = new NetworkDerivatives<F64>(c.Spec, theta.Zip(v, (t, x) => new F64(t + h * x)).ToArray()).Gradient;
            var gm = new NetworkDerivatives<F64>(c.Spec, theta.Zip(v, (t, x) => new F64(t - h * x)).ToArray()).Gradient;
            double scale = 1 + hv.Max(x => Math.Abs(x.Value)) + d.Gradient.Max(x => Math.Abs(x.Value));
            for (int p = 0; p < theta.Length; p++)
                if (Math.Abs((gp[p] - gm[p]) / (2 * h) - hv[p]) > 1e-5 * scale) return false;
            return true;
        }, trials: 100);
    }
}
