using System.Text.Json.Nodes;
using VerifyLandscape.Claims;
using VerifyLandscape.Claims.Freeman;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Experiments.Dss;

/// <summary>
/// `--certify`: turns a string the sampler accepted on its grid into a proof that its end points lie in one
/// path-component of Ω(ℓ), or says why not. Each segment θ_k + t(θ_{k+1} − θ_k) is cut by bisection in t until the
/// kernel's outward-rounded interval evaluation of F on every piece is ≤ ℓ (the same enclosure `vl recheck` recomputes).
/// A piece whose midpoint already has F &gt; ℓ rigorously ends the attempt: the grid missed a barrier, and the string does
/// not lie in Ω(ℓ). Pieces narrower than 2^−MaxDepth end it as inconclusive.
/// </summary>
public static class StringCertifier
{
    public sealed record Outcome(string Verdict, string Reason, JsonObject? Certificate, int Pieces, double WorstBound);

    public static Outcome Certify(NetworkSpec spec, IReadOnlyList<double[]> beadValues, Rational level, int pair, int maxDepth = 24)
    {
        var beads = beadValues.Select(b => b.Select(Rational.FromDouble).ToArray()).ToArray();
        var cuts = new List<Rational>[beads.Length - 1];
        var failures = new Stop?[beads.Length - 1];
        var worst = new double[beads.Length - 1];
        Parallel.For(0, beads.Length - 1, k =>
        {
            var list = new List<Rational> { Rational.Zero };
            failures[k] = Bisect(spec, beads[k], beads[k + 1], Rational.Zero, Rational.One, 0, maxDepth, level, list, ref worst[k]);
            cuts[k] = list;
        });
        int pieces = cuts.Sum(c => c.Count - 1);
        if (failures.Select((f, k) => (f, k)).FirstOrDefault(x => x.f is not null) is { f: { } stop } first)
            return new(stop.Barrier ? "refuted" : "inconclusive", $"segment {first.k}: {stop.Why}", null, pieces, worst.Max());
        var reason = $"every one of {beads.Length - 1} segments lies in Ω({level}): {pieces} pieces, F ≤ {worst.Max():G6} on each (interval bisection in t)";
        var instance = new ClaimInstance("freeman.dss", spec, [pair], Construction: "string");
        var facts = new PathFacts(spec, new CertifiedPath(level, beads, cuts));
        var certificate = Certificates.CertificateWriter.Envelope(instance.ClaimId, "certified", reason, instance.ToJson(), facts.ToJson());
        return new("certified", reason, certificate, pieces, worst.Max());
    }

    /// <summary>Why bisection stopped: a barrier (F &gt; ℓ at a point, rigorous) or the budget.</summary>
    private sealed record Stop(bool Barrier, string Why);

    /// <summary>Appends the right end of every accepted piece of [lo, hi] to <paramref name="cuts"/>; null, or why it stopped.</summary>
    private static Stop? Bisect(NetworkSpec spec, Rational[] a, Rational[] b, Rational lo, Rational hi, int depth, int maxDepth, Rational level, List<Rational> cuts, ref double worst)
    {
        var bound = Loss.EncloseOnSegment(spec, a, b, lo, hi);
        if (Rational.FromDouble(bound.Hi) <= level)
        {
            cuts.Add(hi);
            worst = Math.Max(worst, bound.Hi);
            return null;
        }
        var mid = (lo + hi) / 2;
        if (depth >= maxDepth)
        {
            // Only here is it worth a point value: either a barrier (rigorous, F > ℓ at a point) or the budget.
            var atMid = Loss.EncloseOnSegment(spec, a, b, mid, mid);
            if (Rational.FromDouble(atMid.Lo) > level) return new(true, $"F > {level} at t = {mid} (F ∈ {atMid}, rigorous)");
            return new(false, $"inconclusive (budget: pieces of width 2^-{maxDepth} around t = {mid} still reach {bound.Hi:G6} > {level})");
        }
        return Bisect(spec, a, b, lo, mid, depth + 1, maxDepth, level, cuts, ref worst)
            ?? Bisect(spec, a, b, mid, hi, depth + 1, maxDepth, level, cuts, ref worst);
    }
}
