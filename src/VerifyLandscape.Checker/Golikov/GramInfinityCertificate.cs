using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Golikov;

/// <summary>
/// du.hinf and du.hinf-iff. Facts: the case and its data. The checker recomputes H∞ from the inputs (exact or arccos
/// enclosed) and verifies, per case:
///   no-parallel: no x_i = ±x_j, c &gt; 0 and H∞ − cI positive definite (λ0 ≥ c &gt; 0): both sides of the iff true;
///   antipodal (refutes the iff): x_j = −x_i and H∞ − cI positive definite with c &gt; 0;
///   duplicate: x_i = x_j, so rows i and j of H∞ agree and λ0 = 0 (both sides false);
///   singular: some pair parallel, H∞ rational and H∞v = 0 exactly for the given v ≠ 0 (λ0 = 0, both sides false).
/// </summary>
public static class GramInfinityCertificate
{
    [ChecksClaim("du.hinf", Wiring = Wiring.General, OutputScale = true)]
    public static string Positive(Certificate c)
    {
        var (x, exact, enclosure, kind) = Read(c);
        if (kind != "no-parallel") throw new Reject($"case '{kind}': du.hinf is certified only by the case no-parallel");
        return NoParallel(c, x, exact, enclosure);
    }

    [ChecksClaim("du.hinf-iff", Wiring = Wiring.General, OutputScale = true)]
    public static string Iff(Certificate c)
    {
        var (x, exact, enclosure, kind) = Read(c);
        switch (kind)
        {
            case "no-parallel":
                return NoParallel(c, x, exact, enclosure) + "; no two inputs parallel: both sides of the iff true";
            case "antipodal":
            {
                var (i, j) = Pair(c, x.Length);
                if (!x[i].Zip(x[j]).All(p => p.First == -p.Second)) throw new Reject($"x_{j} is not −x_{i}");
                var lower = Lower(c, exact, enclosure);
                c.Conclude(false, $"x_{j} = −x_{i} and λ0 ≥ {lower} > 0: the iff fails");
                return $"x_{j} = −x_{i} (parallel) and λ0 ≥ {lower} > 0 (recomputed LDLᵀ): the iff fails";
            }
            case "duplicate":
            {
                var (i, j) = Pair(c, x.Length);
                if (!x[i].SequenceEqual(x[j])) throw new Reject($"x_{i} ≠ x_{j}");
                c.Conclude(true, "a duplicate input: both sides of the iff false");
                return $"x_{i} = x_{j}: equal rows of H∞, λ0 = 0, and two inputs parallel: both sides false";
            }
            case "singular":
            {
                var (i, j) = Pair(c, x.Length);
                if (!(x[i].SequenceEqual(x[j]) || x[i].Zip(x[j]).All(p => p.First == -p.Second)))
                    throw new Reject($"x_{i} and x_{j} are not parallel");
                if (exact is null) throw new Reject("H∞ is not rational (an inner product outside {0, ±1/2, ±1}): H∞v = 0 cannot be checked exactly");
                var v = Certificate.Array(c.Facts, "nullVector").Select((q, k) => Certificate.Number(q, $"nullVector[{k}]")).ToArray();
                if (v.Length != x.Length || v.All(q => q.IsZero)) throw new Reject("the null vector is empty, zero, or of the wrong length");
                for (int r = 0; r < x.Length; r++)
                {
                    Rational sum = 0;
                    for (int k = 0; k < x.Length; k++) sum += exact[r, k] * v[k];
                    if (!sum.IsZero) throw new Reject($"(H∞v)_{r} = {sum} ≠ 0");
                }
                c.Conclude(true, "parallel inputs and H∞v = 0: both sides of the iff false");
                return $"x_{i}, x_{j} parallel and H∞v = 0 exactly: λ0 = 0, both sides false";
            }
            default: throw new Reject($"unknown case '{kind}' (known: no-parallel, antipodal, duplicate, singular)");
        }
    }

    private static (Rational[][] X, Rational[,]? Exact, Intervals.Interval[,] Enclosure, string Case) Read(Certificate c)
    {
        DuNetwork.Require(c.Spec);
        DuNetwork.RequireLocus(c, "kernel");
        var exact = DuNetwork.Gram(c.Spec.X, out var enclosure);
        return (c.Spec.X, exact, enclosure, Certificate.Text(c.Facts, "case"));
    }

    private static string NoParallel(Certificate c, Rational[][] x, Rational[,]? exact, Intervals.Interval[,] enclosure)
    {
        for (int i = 0; i < x.Length; i++)
            for (int j = i + 1; j < x.Length; j++)
                if (x[i].SequenceEqual(x[j]) || x[i].Zip(x[j]).All(p => p.First == -p.Second))
                    throw new Reject($"out of the claim's hypotheses: x_{i} and x_{j} are parallel");
        var lower = Lower(c, exact, enclosure);
        c.Conclude(true, $"no parallel inputs and λ0 ≥ {lower} > 0");
        return $"no two inputs parallel and λ0 ≥ {lower} > 0 (H∞ {(exact is null ? "arccos enclosed" : "exact")}, LDLᵀ of H∞ − cI recomputed)";
    }

    private static Rational Lower(Certificate c, Rational[,]? exact, Intervals.Interval[,] enclosure)
    {
        var lower = Certificate.Number(c.Facts["lambda0Lower"], "lambda0Lower");
        if (lower.Sign <= 0) throw new Reject($"c = {lower} is not positive: λ0 > 0 does not follow");
        if (!DuNetwork.PositiveDefiniteAbove(exact, enclosure, lower)) throw new Reject($"H∞ − ({lower})·I is not proved positive definite: λ0 ≥ {lower} is not established");
        return lower;
    }

    private static (int I, int J) Pair(Certificate c, int n)
    {
        var p = Certificate.Array(c.Facts, "pair");
        if (p.Count != 2) throw new Reject("'pair' is not two indices");
        int i = Certificate.Integer(p[0], "pair[0]"), j = Certificate.Integer(p[1], "pair[1]");
        if (i < 0 || j < 0 || i >= n || j >= n || i == j) throw new Reject($"pair ({i}, {j}) does not name two samples");
        return (i, j);
    }
}
