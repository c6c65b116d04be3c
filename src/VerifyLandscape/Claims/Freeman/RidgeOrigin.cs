using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Claims.Freeman;

/// <summary>
/// [new in the notes] F-2.2-ridge-deep: for a linear network with K ≥ 3 layers and ridge κ &gt; 0, θ = 0 is a strict local
/// minimum: the data term (1/L)‖Y − W_K⋯W_1 X‖² has no terms of degree 1 or 2 in θ (the product has degree K ≥ 3), so
/// ∇F(0) = 0 and ∇²F(0) = 2κI ≻ 0. It is spurious when some θ has F(θ) &lt; F(0) = (1/L)‖Y‖², and then (Prop 2.1) some
/// level set is not connected: ridge connectivity does not extend past K = 2. Decided exactly: the gradient and the
/// Hessian at 0 by the engine, the inertia by LDLᵀ; a lower point is searched among rank-one factorisations
/// t·(T e_j)·e_jᵀ of the least-squares fit T's columns (evidence of spuriousness, not part of the claim).
/// </summary>
public sealed class RidgeOrigin : Claim
{
    public override string Id => "freeman.ridge-deep";
    public override string Source => "Freeman, Bruna (002), Proposition 2.2's ridge remark; notes §2.2 F-2.2-ridge-deep";
    public override string Statement => "linear network, K ≥ 3, ridge κ > 0: θ = 0 is a strict local minimum (∇F(0) = 0, ∇²F(0) = 2κI)";
    public override IReadOnlyList<string> LocusKinds => ["origin"];
    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [FreemanHypotheses.Linear, FreemanHypotheses.Mse, FreemanHypotheses.TwoHiddenLayers, FreemanHypotheses.Ridge];

    public override Rational[]? ConcretePoint(ClaimInstance c) => new Rational[c.Spec.ParameterCount];

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        var origin = Enumerable.Repeat(Rational.Zero, s.ParameterCount).ToArray();
        var d = new NetworkDerivatives<Rational>(s, origin);
        if (d.Gradient.FirstOrDefault(g => !g.IsZero) is { IsZero: false } g0)
            return Verdict.Refuted($"∇F(0) has a non-zero entry {g0}", []);
        var h = d.Hessian();
        var inertia = ExactLinearAlgebra.InertiaOf(h);
        var lower = LowerPoint(s, d.Loss);
        var evidence = new JsonObject { ["loss"] = d.Loss.ToString(), ["inertia"] = inertia.ToString(), ["kappa"] = (s.WeightDecay / 2).ToString() };
        if (lower is { } p) { evidence["lowerPoint"] = Evidence.Point(s.Layout, p.Point); evidence["lowerLoss"] = p.Loss.ToString(); }
        string spurious = lower is { } q ? $"; spurious: F = {q.Loss} < F(0) = {d.Loss} at a rank-one point" : "; no lower point found among the rank-one ones (spuriousness not shown)";
        var facts = new OriginFacts(new FactsAtPoint(s.Layout, origin, d.Loss, h), lower?.Point);
        return inertia.Negative == 0 && inertia.Zero == 0
            ? Verdict.Certified($"∇F(0) = 0 and ∇²F(0) is positive definite, inertia {inertia} (exact LDLᵀ): a strict local minimum{spurious}", evidence, facts)
            : Verdict.Refuted($"∇²F(0) has inertia {inertia}: not positive definite", evidence, facts);
    }

    /// <summary>A point with F below F(0), among t·(T e_j) e_jᵀ passed through unit 0 of every hidden layer, t = ±1/4 … ±2.</summary>
    private static (Rational[] Point, Rational Loss)? LowerPoint(NetworkSpec s, Rational atOrigin)
    {
        if (LinearChains.LeastSquaresFit(s) is not { } fit) return null;
        (Rational[] Point, Rational Loss)? best = null;
        Rational[] scales = [Rational.Create(1, 4), Rational.Half, Rational.Create(3, 4), 1, Rational.Create(5, 4), Rational.Create(3, 2), 2];
        for (int j = 0; j < s.InputWidth; j++)
            foreach (var t in scales.Concat(scales.Select(v => -v)))
            {
                var w = new Rational[s.Depth + 1][,];
                for (int k = 1; k <= s.Depth; k++) w[k] = Matrices.Zeros(s.Widths[k], s.Widths[k - 1]);
                w[1][0, j] = t;
                for (int k = 2; k < s.Depth; k++) w[k][0, 0] = t;
                for (int o = 0; o < s.OutputWidth; o++) w[s.Depth][o, 0] = t * fit[o, j];
                var point = LinearChains.Point(s, w);
                var loss = Loss.Evaluate(s, point);
                if (loss < atOrigin && (best is null || loss < best.Value.Loss)) best = (point, loss);
            }
        return best;
    }

    /// <summary>Linear networks with K = 3 or 4, widths 1..3, random data, κ ∈ {1/100, 1/20, 1/4, 1}.</summary>
    public override Gen<ClaimInstance> Generator =>
        from depth in Gen.Choose(3, 4)
        from widths in Gen.ArrayOf(Gen.Choose(1, 3), depth + 1)
        from samples in Gen.Choose(1, 3)
        from xs in Gen.ArrayOf(Gen.ArrayOf(NetworkCases.SmallRational, widths[0]), samples)
        from ys in Gen.ArrayOf(Gen.ArrayOf(NetworkCases.SmallRational, widths[^1]), samples)
        from kappa in Gen.Elements(Rational.Create(1, 100), Rational.Create(1, 20), Rational.Create(1, 4), Rational.One)
        select new ClaimInstance(Id, PrintedConnectivity.LinearSpec(widths, xs, ys).With(decay: 2 * kappa), [0], Construction: "origin");

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance)
    {
        foreach (var c in NetworkCases.Shrink(new NetworkCase(instance.Spec, 0)))
            yield return instance with { Spec = c.Spec };
    }
}

/// <summary>The origin's exact Hessian (as <see cref="FactsAtPoint"/>) and, when one was found, a point below F(0).</summary>
public sealed record OriginFacts(FactsAtPoint AtOrigin, Rational[]? Lower) : CertificateFacts
{
    public override JsonObject ToJson()
    {
        var facts = AtOrigin.ToJson();
        if (Lower is { } p) facts["lowerPoint"] = Evidence.Point(AtOrigin.Layout, p);
        return facts;
    }
}
