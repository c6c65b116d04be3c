using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using Interval = VerifyLandscape.Intervals.Interval;

namespace VerifyLandscape.Claims.Golikov;

/// <summary>
/// λ0 = λ_min(H∞) enclosed: a double eigen-solve proposes c just below it and a unit vector v; H∞ − cI is proved
/// positive definite (exact LDLᵀ when H∞ is rational, interval LDLᵀ of the arccos enclosure otherwise), and the
/// Rayleigh quotient vᵀH∞v bounds λ0 above. The proof is the LDLᵀ; floating point only proposes.
/// </summary>
public sealed record Lambda0(Rational Lower, double Upper, bool ExactGram)
{
    public static Lambda0? Certify(Rational[][] x)
    {
        var exact = DuSetting.ExactGram(x);
        var enclosure = DuSetting.GramEnclosure(x);
        int n = x.Length;
        var mid = Matrix<double>.Build.Dense(n, n, (i, j) => enclosure[i, j].Mid);
        var evd = mid.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        int argmin = Enumerable.Range(0, n).MinBy(i => evd.EigenValues[i].Real);
        double estimate = evd.EigenValues[argmin].Real;
        if (!(estimate > 1e-12)) return null;
        var v = evd.EigenVectors.Column(argmin);
        double upper = RayleighUpper(exact, enclosure, v);
        foreach (double f in new[] { 1e-6, 1e-3, 1e-2, 0.05, 0.1, 0.2, 0.3, 0.5 })
        {
            var c = Below(estimate * (1 - f));
            if (ProvesAtLeast(exact, enclosure, c)) return new Lambda0(c, upper, exact is not null);
        }
        return null;
    }

    /// <summary>A short dyadic rational at or below t (30 bits after the point).</summary>
    private static Rational Below(double t) => Rational.Create((long)Math.Floor(t * (1L << 30)), 1L << 30);

    /// <summary>λ0 ≥ c: H∞ − cI positive definite.</summary>
    public static bool ProvesAtLeast(Rational[,]? exact, Interval[,] enclosure, Rational c)
    {
        if (exact is not null)
        {
            var inertia = ExactLinearAlgebra.InertiaOf(Matrices.Shift(exact, c));
            return inertia.Negative == 0 && inertia.Zero == 0;
        }
        return IntervalLinearAlgebra.ProvesPositiveDefinite(DuSetting.Shifted(enclosure, c), out _);
    }

    /// <summary>vᵀH∞v/vᵀv ≥ λ0 for any v ≠ 0, evaluated rigorously (upper end).</summary>
    private static double RayleighUpper(Rational[,]? exact, Interval[,] enclosure, Vector<double> v)
    {
        int n = v.Count;
        Interval num = Interval.Zero, den = Interval.Zero;
        for (int i = 0; i < n; i++)
        {
            var vi = Interval.Point(v[i]);
            den += vi * vi;
            for (int j = 0; j < n; j++) num += vi * (exact is null ? enclosure[i, j] : Interval.FromRational(exact[i, j])) * Interval.Point(v[j]);
        }
        return (num / den).Hi;
    }

    public JsonObject Evidence() => new()
    {
        ["lambda0Lower"] = Lower.ToString(),
        ["lambda0LowerDecimal"] = Lower.ToDouble(),
        ["lambda0Upper"] = Upper,
        ["gram"] = ExactGram ? "exact (inner products in {0, ±1/2, ±1})" : "arccos enclosed (intervals)",
    };
}

/// <summary>
/// G-du-H∞ (Du et al. Thm 3.1 as the essay states it): unit inputs, no two parallel ⇒ λ0 = λ_min(H∞) &gt; 0. Certified
/// per instance by the LDLᵀ of H∞ − cI with c &gt; 0 (<see cref="Lambda0"/>).
/// </summary>
public sealed class GramInfinityPositive : Claim
{
    public override string Id => "du.hinf";
    public override string Source => "Golikov (003), §2.2: Du, Zhai, Póczos, Singh (2019), Theorem 3.1";
    public override string Statement => "unit inputs, no two parallel ⇒ λ0 = λ_min(H∞) > 0, with H∞_ij = x_iᵀx_j (π − arccos x_iᵀx_j)/(2π)";
    public override IReadOnlyList<Hypothesis> Hypotheses => [.. DuSetting.Network, DuSetting.NoParallelInputs];
    public override IReadOnlyList<string> LocusKinds => [Kind];
    public override Wiring Accepts => Wiring.General;
    public override bool AcceptsOutputScale => true;
    public const string Kind = "kernel";

    protected override Verdict Decide(ClaimInstance c) => Lambda0.Certify(c.Spec.X) is { } l
        ? Verdict.Certified($"λ0 ∈ [{l.Lower.ToDouble():G6}, {l.Upper:G6}]: H∞ − ({l.Lower})·I is positive definite ({(l.ExactGram ? "exact" : "interval")} LDLᵀ)",
            l.Evidence(), new Lambda0Facts("no-parallel", l.Lower, null, null))
        : Verdict.Inconclusive($"λ0 > 0 could not be proved: H∞'s smallest eigenvalue is too close to 0 for the LDLᵀ certificate (instance: {c})");

    public override Gen<ClaimInstance> Generator =>
        DuSetting.Specs(DuSetting.Inputs(parallel: false).Where(x => DuSetting.ParallelPair(x) is null))
            .Select(s => new ClaimInstance(Id, s, [0], Construction: Kind));

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance c) => DuSetting.Shrink(c.Spec).Select(s => c with { Spec = s });
}

/// <summary>
/// THEOREMS.md's G-du "iff" (known false, notes §3.3): λ0 &gt; 0 ⇔ no two inputs parallel. The ⇐ half is Du et al.'s
/// theorem; the ⇒ half fails for antipodal inputs, x_j = −x_i, whose H∞ entry is 0 (x2 = −x1 gives H∞ = ½I). Each
/// instance is decided: no parallel pair and λ0 &gt; 0 certified, or a duplicate (equal rows, λ0 = 0), or an exact null
/// vector of a rational H∞ with a parallel pair: the equivalence holds there (certified); an antipodal pair with λ0 &gt; 0
/// certified refutes it.
/// </summary>
public sealed class GramInfinityIff : Claim
{
    public override string Id => "du.hinf-iff";
    public override string Source => "THEOREMS.md G-du (the essay, Golikov (003) §2.2, states only ⇐)";
    public override string Statement => "unit inputs: λ0 = λ_min(H∞) > 0 if and only if no two inputs are parallel";
    public override Expectation Expected => Expectation.KnownFalse;
    public override IReadOnlyList<Hypothesis> Hypotheses => DuSetting.Network;
    public override IReadOnlyList<string> LocusKinds => [GramInfinityPositive.Kind];
    public override Wiring Accepts => Wiring.General;
    public override bool AcceptsOutputScale => true;

    protected override Verdict Decide(ClaimInstance c)
    {
        var x = c.Spec.X;
        var pair = DuSetting.ParallelPair(x);
        if (pair is { Antipodal: false } dup)
            return Verdict.Certified($"x_{dup.I} = x_{dup.J}: rows {dup.I} and {dup.J} of H∞ are equal, so λ0 = 0, and two inputs are parallel: both sides false",
                new JsonObject { ["duplicate"] = new JsonArray(dup.I, dup.J) }, new Lambda0Facts("duplicate", null, [dup.I, dup.J], null));
        var lambda = Lambda0.Certify(x);
        if (pair is null)
            return lambda is { } l
                ? Verdict.Certified($"no two inputs parallel and λ0 ≥ {l.Lower.ToDouble():G6} > 0: both sides true", l.Evidence(), new Lambda0Facts("no-parallel", l.Lower, null, null))
                : Verdict.Inconclusive($"no two inputs parallel, and λ0 > 0 could not be proved (instance: {c})");
        var (i, j, _) = pair.Value;
        if (lambda is { } pos)
        {
            var evidence = pos.Evidence();
            evidence["antipodal"] = new JsonArray(i, j);
            return Verdict.Refuted($"x_{j} = −x_{i} (parallel), yet λ0 ≥ {pos.Lower.ToDouble():G6} > 0: H∞ − ({pos.Lower})·I is positive definite " +
                $"({(pos.ExactGram ? "exact" : "interval")} LDLᵀ); the antipodal entry x_iᵀx_j(π − π)/(2π) is 0", evidence, new Lambda0Facts("antipodal", pos.Lower, [i, j], null));
        }
        if (DuSetting.ExactGram(x) is { } h && ExactLinearAlgebra.Nullspace(h) is [var v, ..])
            return Verdict.Certified($"x_{j} = −x_{i} (parallel) and H∞ is singular (exact null vector): λ0 = 0, both sides false",
                new JsonObject { ["nullVector"] = new JsonArray(v.Select(q => (JsonNode?)q.ToString()).ToArray()) }, new Lambda0Facts("singular", null, [i, j], v));
        return Verdict.Inconclusive($"x_{j} = −x_{i}, and neither λ0 > 0 nor λ0 = 0 could be proved (instance: {c})");
    }

    public override Gen<ClaimInstance> Generator =>
        DuSetting.Specs(DuSetting.Inputs(parallel: true)).Select(s => new ClaimInstance(Id, s, [0], Construction: GramInfinityPositive.Kind));

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance c) => DuSetting.Shrink(c.Spec).Select(s => c with { Spec = s });
}

/// <summary>What the checker needs: the case, and c (λ0 ≥ c), the pair, or the null vector.</summary>
public sealed record Lambda0Facts(string Case, Rational? Lower, int[]? Pair, Rational[]? NullVector) : CertificateFacts
{
    public override JsonObject ToJson()
    {
        var o = new JsonObject { ["case"] = Case };
        if (Lower is { } c) o["lambda0Lower"] = c.ToString();
        if (Pair is { } p) o["pair"] = new JsonArray(p[0], p[1]);
        if (NullVector is { } v) o["nullVector"] = new JsonArray(v.Select(q => (JsonNode?)q.ToString()).ToArray());
        return o;
    }
}
