using System.Text.Json.Nodes;
using FsCheck.Fluent;
using VerifyLandscape.Checker;
using VerifyLandscape.Certificates;
using VerifyLandscape.Claims;
using VerifyLandscape.Claims.Milne;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Tests;

/// <summary>The balanced reduction of lemma 7: its trusted steps tested, its certificates rechecked and tampered with.</summary>
public class BalancedLemma7Tests
{
    private static NetworkSpec Shipped(string name) =>
        InstanceReader.ReadFile(Path.Combine(TestPaths.ProofsData, "instances", "milne.lemma7", name + ".json")).Spec;

    /// <summary>Step 1 of the reduction: W_{k+1}ᵀ ∂ℓ/∂W_{k+1} = (∂ℓ/∂W_k) W_kᵀ for every linear network, exactly.</summary>
    [Fact]
    public void BalanceIdentityHoldsExactlyAtRandomPoints()
    {
        PropertyCheck.Run("linear networks: W_{k+1}ᵀ ∂ℓ/∂W_{k+1} = (∂ℓ/∂W_k) W_kᵀ (exact)",
            NetworkCases.Arbitrary(Gen.Constant(Activation.Identity), maxDepth: 4, minDepth: 2, bias: false, outputs: Gen.Constant(Activation.Identity), maxSamples: 4),
            c =>
            {
                var spec = MilneSetting.Unregularised(c.Spec);
                var theta = c.Point;
                var g = new NetworkDerivatives<Rational>(spec, theta).Gradient;
                for (int k = 1; k < spec.Depth; k++)
                {
                    int below = spec.Widths[k - 1], width = spec.Widths[k], above = spec.Widths[k + 1];
                    for (int i = 0; i < width; i++)
                        for (int j = 0; j < width; j++)
                        {
                            Rational left = 0, right = 0;
                            for (int m = 0; m < above; m++) left += theta[spec.Layout.Weight(k + 1, m, i)] * g[spec.Layout.Weight(k + 1, m, j)];
                            for (int m = 0; m < below; m++) right += g[spec.Layout.Weight(k, i, m)] * theta[spec.Layout.Weight(k, j, m)];
                            if (left != right) return false;
                        }
                }
                return true;
            }, trials: 60);
    }

    /// <summary>
    /// Steps 2–3: critical points found by gradient descent on the real network (the numeric engine, not the reduction)
    /// are balanced rank-one chains (every layer's operator norm² equals t = ‖W‖²/(H+1)) with P(t) = 0, and t lies in
    /// an interval the certificate excludes as "outside U". Tolerances: GD stops at ‖∇ℓ_λ‖ &lt; 1e-11; t to 1e-6, P relative to 1e-6.
    /// </summary>
    [Theory]
    [InlineData("1-2-2-1-lambda0.02", 1)]
    [InlineData("1-2-2-1-lambda0.02", 2)]
    [InlineData("2-3-1-lambda0.02", 1)]
    public void NumericCriticalPointsSatisfyTheReducedEquation(string name, int seed)
    {
        var spec = Shipped(name);
        var rng = new Random(seed);
        var theta = Enumerable.Range(0, spec.ParameterCount).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        double gradientNorm = double.MaxValue;
        for (int step = 0; step < 400000 && gradientNorm > 1e-11; step++)
        {
            var g = new DenseNetwork(spec, theta).Gradient;
            gradientNorm = Math.Sqrt(g.Sum(v => v * v));
            for (int p = 0; p < theta.Length; p++) theta[p] -= 0.2 * g[p];
        }
        Assert.True(gradientNorm <= 1e-11, $"gradient descent did not converge (‖∇ℓ_λ‖ = {gradientNorm:G3})");
        int h = spec.Depth - 1;
        double t = theta.Sum(v => v * v) / (h + 1);
        Assert.True(t > 1e-3, "gradient descent went to the origin; pick another seed");
        for (int k = 1; k <= spec.Depth; k++)
        {
            var w = new double[spec.Widths[k], spec.Widths[k - 1]];
            for (int i = 0; i < w.GetLength(0); i++)
                for (int j = 0; j < w.GetLength(1); j++) w[i, j] = theta[spec.Layout.Weight(k, i, j)];
            double top = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(w).L2Norm();
            Assert.True(Math.Abs(top * top - t) <= 1e-6 * t, $"layer {k}: ‖W_k‖² = {top * top}, t = {t}: not balanced rank one");
        }
        var m = BalancedLemma7.MomentsOf(spec);
        var kt = BalancedLemma7.K(m.Sigma, spec.WeightDecay, h);
        var d = BalancedLemma7.Determinant(kt);
        var a = BalancedLemma7.AdjugateTimes(kt, m.B);
        var (pPoly, _) = BalancedLemma7.Equations(m, spec.WeightDecay, h, d, a);
        var tq = Rational.FromDouble(t);
        double scale = d.Evaluate(tq).ToDouble();
        Assert.True(Math.Abs(pPoly.Evaluate(tq).ToDouble()) <= 1e-6 * scale * scale, $"P({t}) = {pPoly.Evaluate(tq).ToDouble():G3} is not 0");
        var verdict = new MilneLemma7().Check(new ClaimInstance("milne.lemma7", spec, [0], Construction: "ball"));
        Assert.Equal(VerdictKind.Certified, verdict.Kind);
        bool covered = verdict.Evidence["leaves"]!.AsArray().Any(l =>
        {
            if ((string)l![1]! != "outside U") return false;
            var (lo, hi) = BalancedLemma7.IntervalOf(m.T, (string)l[0]!);
            return lo.ToDouble() - 1e-9 <= t && t <= hi.ToDouble() + 1e-9;
        });
        Assert.True(covered, $"t = {t} is not in an interval excluded as outside U");
    }

    /// <summary>
    /// The converse (what makes a refutation genuine): at every root t of P, the balanced rank-one chain built from it
    /// (σ = √t, u_0 = β/‖β‖, random unit u_1..u_H) is a critical point of ℓ_λ, by the numeric engine's gradient.
    /// Roots located by sign changes on a grid and bisection in double; tolerance ‖∇ℓ_λ‖ ≤ 1e-9.
    /// </summary>
    [Theory]
    [InlineData("1-2-2-1-lambda0.02", 2)]
    [InlineData("2-3-1-lambda0.02", 1)]
    public void EveryRootOfTheReducedEquationIsACriticalPoint(string name, int roots)
    {
        var spec = Shipped(name);
        int h = spec.Depth - 1, n0 = spec.InputWidth;
        var m = BalancedLemma7.MomentsOf(spec);
        var kt = BalancedLemma7.K(m.Sigma, spec.WeightDecay, h);
        var d = BalancedLemma7.Determinant(kt);
        var a = BalancedLemma7.AdjugateTimes(kt, m.B);
        var (pPoly, _) = BalancedLemma7.Equations(m, spec.WeightDecay, h, d, a);
        static double At(Polynomial poly, double t) => poly.Coefficients.Select((c, i) => c.ToDouble() * Math.Pow(t, i)).Sum();
        double P(double t) => At(pPoly, t);
        double T = m.T.ToDouble();
        var found = new List<double>();
        for (int i = 0; i < 10000; i++)
        {
            double lo = T * i / 10000, hi = T * (i + 1) / 10000;
            if (lo == 0 || Math.Sign(P(lo)) * Math.Sign(P(hi)) >= 0) continue;
            for (int it = 0; it < 200; it++) { double mid = (lo + hi) / 2; if (Math.Sign(P(mid)) == Math.Sign(P(lo))) lo = mid; else hi = mid; }
            found.Add((lo + hi) / 2);
        }
        Assert.Equal(roots, found.Count);
        var rng = new Random(7);
        foreach (var t in found)
        {
            double sigma = Math.Sqrt(t);
            var beta = Enumerable.Range(0, n0).Select(i => Math.Pow(t, h) * At(a[i], t) / At(d, t)).ToArray();
            double norm = Math.Sqrt(beta.Sum(v => v * v));
            var u = new double[spec.Depth + 1][];
            u[0] = beta.Select(v => v / norm).ToArray();
            for (int k = 1; k < spec.Depth; k++)
            {
                var r = Enumerable.Range(0, spec.Widths[k]).Select(_ => rng.NextDouble() - 0.5).ToArray();
                double rn = Math.Sqrt(r.Sum(v => v * v));
                u[k] = r.Select(v => v / rn).ToArray();
            }
            u[spec.Depth] = [1.0];
            var theta = new double[spec.ParameterCount];
            for (int k = 1; k <= spec.Depth; k++) // W_k = M_{k−1} = σ u_k u_{k−1}ᵀ
                for (int i = 0; i < spec.Widths[k]; i++)
                    for (int j = 0; j < spec.Widths[k - 1]; j++) theta[spec.Layout.Weight(k, i, j)] = sigma * u[k][i] * u[k - 1][j];
            var g = new DenseNetwork(spec, theta).Gradient;
            double gradientNorm = Math.Sqrt(g.Sum(v => v * v));
            Assert.True(gradientNorm <= 1e-9, $"t = {t}: the chain is not critical (‖∇ℓ_λ‖ = {gradientNorm:G3})");
        }
    }

    [Fact]
    public void AgreesWithTheOneHiddenLayerReductionOnRandomInstances()
    {
        var claim = new MilneLemma7();
        PropertyCheck.Run("milne.lemma7 on random 1-n-1 instances: the balanced reduction certifies too, and its certificate rechecks",
            Arb.From(claim.Generator.Where(c => c.Spec.Depth == 2 && c.Spec.InputWidth == 1), claim.Shrink), instance =>
            {
                var v = BalancedLemma7.Decide(instance.Spec);
                return v.Kind == VerdictKind.Certified && claim.Check(instance).Kind == VerdictKind.Certified
                    && CertificateChecker.Check(CertificateWriter.Produce(claim, instance, v)).Valid;
            }, trials: 40);
    }

    [Fact]
    public void ReducedSmtLibStatesPAndQ()
    {
        var spec = Shipped("1-2-2-1-lambda0.02");
        var forms = SExpression.ParseAll(BalancedLemma7.ReducedSmtLib(spec));
        var asserts = forms.Where(f => f.Head == "assert").Select(f => f.Items[1]).ToList();
        Assert.Equal(4, asserts.Count);
        var m = BalancedLemma7.MomentsOf(spec);
        var k = BalancedLemma7.K(m.Sigma, spec.WeightDecay, 2);
        var (p, q) = BalancedLemma7.Equations(m, spec.WeightDecay, 2, BalancedLemma7.Determinant(k), BalancedLemma7.AdjugateTimes(k, m.B));
        foreach (var t in new[] { Rational.Create(1, 20), Rational.Create(7, 25) })
        {
            var env = new Dictionary<string, Rational> { ["t"] = t };
            Assert.Equal(p.Evaluate(t), asserts[2].Items[1].Evaluate(env));
            Assert.Equal(q.Evaluate(t), asserts[3].Items[1].Evaluate(env));
        }
        Assert.Equal(m.T, asserts[1].Items[2].Evaluate(new Dictionary<string, Rational>()));
    }

    [Theory]
    [InlineData("reason")]
    [InlineData("drop")]
    [InlineData("determinant")]
    [InlineData("T")]
    [InlineData("lambda")]
    public void TamperedBalancedCertificateIsRejected(string what)
    {
        var cert = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.ProofsData, "certificates", "milne.lemma7", "1-2-2-1-lambda0.02.cert.json")))!.AsObject();
        Assert.True(CertificateChecker.Check(cert).Valid);
        var facts = cert["facts"]!;
        var leaves = facts["leaves"]!.AsArray();
        switch (what)
        {
            case "reason": leaves.First(l => (string)l![1]! == "outside U")![1] = "not critical"; break; // a root of P lies there
            case "drop": leaves.RemoveAt(0); break;
            case "determinant": facts["determinant"]![0] = "1"; break;
            case "T": facts["T"] = "1/100"; break;
            case "lambda": cert["instance"]!["spec"]!["weightDecay"] = "1/1000"; break;
        }
        Assert.False(CertificateChecker.Check(cert).Valid, $"tampered ({what}) balanced certificate was accepted");
    }
}
