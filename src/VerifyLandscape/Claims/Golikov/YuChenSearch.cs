using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;

namespace VerifyLandscape.Claims.Golikov;

/// <summary>
/// G-yc (the essay's eq. 7, after Yu and Chen 1995): L = ½‖Y − W_2σ(W_1X)‖²_F, sigmoid, no biases, d_1 ≥ N, distinct
/// inputs ⇒ every local minimum is global. Contested (notes §3.2: the argument only shows instability under the W_2-flow,
/// which does not exclude non-strict bad minima; Ding, Li and Sun 2019 construct sub-optimal minima for a dense set of
/// activations), so it is a counterexample search, never certified. Per instance: BFGS (MathNet) from four seeded starts;
/// a start "converged" when ‖∇L‖ ≤ 10⁻⁷; a converged start is a candidate bad minimum when its L exceeds the best L of
/// the four by more than 10⁻⁶(1 + L_best) and λ_min(∇²L) ≥ −10⁻⁶·max(1, λ_max) (the double engine's Hessian). The
/// tolerances are for double precision on networks with ≤ 30 parameters and losses of order 1–10; a candidate is
/// evidence to examine (a non-strict minimum cannot be told from a flat plateau in floating point), not a proof.
/// </summary>
public sealed class YuChenSearch : Claim
{
    public const int Starts = 4;
    public const double GradientTolerance = 1e-7, GapTolerance = 1e-6, CurvatureTolerance = 1e-6;

    public override string Id => "golikov.yu-chen";
    public override string Source => "Golikov (003), §2.1, eq. (7): Yu & Chen (1995), contested";
    public override string Statement => "sigmoid, no biases, one hidden layer of width ≥ N, distinct inputs: every local minimum is global (searched, evidence only)";
    public override Expectation Expected => Expectation.Open;
    public override IReadOnlyList<string> LocusKinds => ["search"];
    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [SettingHypotheses.NoBiases, Hypothesis.OnSpec("one sigmoid hidden layer, identity output",
            s => s.Depth != 2 || s.HiddenActivations[0] is not SigmoidActivation || s.OutputActivation is not IdentityActivation ? "the network is not [d, d_1, m] with a sigmoid hidden layer" : null),
         WideLayerRank.WideLastLayer, WideLayerRank.DistinctInputs, SettingHypotheses.Loss(LossKind.HalfSse), SettingHypotheses.NoWeightDecay];

    public sealed record Start(double Loss, double GradientNorm, double HessianMin, double HessianMax, double[] Theta, bool Converged);

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        var starts = Enumerable.Range(0, Starts).Select(j => Minimise(s, SeededRationals.Draw(s.ParameterCount, c.Seed + j * 1_000_003).Select(q => q.ToDouble() / 2).ToArray())).ToArray();
        var converged = starts.Where(r => r.Converged).ToArray();
        if (converged.Length == 0) return Verdict.Inconclusive($"no start reached ‖∇L‖ ≤ {GradientTolerance} (instance: {c})");
        double best = converged.Min(r => r.Loss);
        var evidence = new JsonObject
        {
            ["bestLoss"] = best,
            ["starts"] = new JsonArray(starts.Select(r => (JsonNode?)new JsonObject { ["loss"] = r.Loss, ["gradientNorm"] = r.GradientNorm, ["hessianMin"] = r.HessianMin, ["converged"] = r.Converged }).ToArray()),
        };
        var bad = converged.Where(r => r.Loss - best > GapTolerance * (1 + best) && r.HessianMin >= -CurvatureTolerance * Math.Max(1, r.HessianMax)).MinBy(r => r.Loss);
        if (bad is not null)
        {
            evidence["candidate"] = new JsonArray(bad.Theta.Select(v => (JsonNode?)v).ToArray());
            return Verdict.FailsToTolerance($"candidate bad local minimum (evidence, double precision): L = {bad.Loss:G6} > L_best = {best:G6}, ‖∇L‖ = {bad.GradientNorm:G2}, " +
                $"λ_min(∇²L) = {bad.HessianMin:G2} (λ_max {bad.HessianMax:G3}), max |θ_p| = {bad.Theta.Max(Math.Abs):G3} (a large value points to saturated units: a valley towards infinity rather than an attained minimum)", evidence);
        }
        return Verdict.HoldsToTolerance($"{converged.Length} of {Starts} starts converged, all to L = {best:G6} (within {GapTolerance:G1}·(1 + L)); no candidate bad minimum", evidence);
    }

    /// <summary>BFGS on L from one start; the end point's gradient norm and Hessian extremes from the double engine.</summary>
    public static Start Minimise(NetworkSpec s, double[] start)
    {
        var objective = ObjectiveFunction.Gradient(v =>
        {
            var at = new DenseNetwork(s, v.ToArray());
            return (at.Loss, Vector<double>.Build.DenseOfArray(at.Gradient));
        });
        double[] theta;
        try { theta = new BfgsMinimizer(GradientTolerance / 10, 1e-15, 1e-15, 2000).FindMinimum(objective, Vector<double>.Build.DenseOfArray(start)).MinimizingPoint.ToArray(); }
        catch (Exception e) when (e is MaximumIterationsException or OptimizationException or ArgumentException) { return new(double.NaN, double.NaN, double.NaN, double.NaN, start, false); }
        var end = new DenseNetwork(s, theta);
        double norm = Math.Sqrt(end.Gradient.Sum(g => g * g));
        if (!double.IsFinite(end.Loss) || !(norm <= GradientTolerance)) return new(end.Loss, norm, double.NaN, double.NaN, theta, false);
        var eigen = SymmetricEigen.Eigenvalues(end.Hessian(), theta.Length, overwrite: true);
        return new(end.Loss, norm, eigen.Min(), eigen.Max(), theta, true);
    }

    /// <summary>[d, d_1, m], d = 1..2, N = 1..4 distinct small-integer inputs (antipodes and 0 sometimes added), d_1 = N … N + 2.</summary>
    public override Gen<ClaimInstance> Generator =>
        from d in Gen.Choose(1, 2)
        from n in Gen.Choose(1, 3)
        from xs in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(-3, 3).Select(v => (Rational)v), d), n)
        from extra in Gen.Choose(0, 2)
        let x = (extra == 1 ? [.. xs, xs[0].Select(v => -v).ToArray()] : xs).DistinctBy(r => string.Join(",", r)).ToArray()
        from ys in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(-2, 2).Select(v => (Rational)v), 1), x.Length)
        from slack in Gen.Choose(0, 2)
        from seed in Gen.Choose(1, 100_000)
        select new ClaimInstance(Id, new NetworkSpec
        {
            Widths = [d, x.Length + slack, 1], HiddenActivations = [Activation.Sigmoid], OutputActivation = Activation.Identity,
            Bias = false, Loss = LossKind.HalfSse, WeightDecay = Rational.Zero, X = x, Y = ys,
        }, [seed], Construction: "search");

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance c)
    {
        var s = c.Spec;
        IEnumerable<NetworkSpec> narrowest = s.Widths[1] > s.SampleCount ? [s.With(widths: [s.Widths[0], s.SampleCount, 1])] : [];
        return SmallerNetworks.WithoutEachSample(s).Where(t => t.Widths[1] >= t.SampleCount).Concat(narrowest).Concat(SmallerNetworks.InputsTowardsSign(s))
            .Select(smaller => c with { Spec = smaller });
    }
}
