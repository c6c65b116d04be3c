namespace VerifyLandscape.Exact;

/// <summary>Rational points on the unit sphere: every one of them is the inverse stereographic image of a rational point.</summary>
public static class Sphere
{
    /// <summary>
    /// x = (2t, |t|² − 1)/(|t|² + 1) ∈ S^{d−1} for t ∈ Q^{d−1} (Pythagorean triples when d = 2), exactly of norm 1;
    /// for d = 1 (t empty) the point is (−1), so pass <paramref name="negate"/> for (1).
    /// </summary>
    public static Rational[] FromStereographic(IReadOnlyList<Rational> t, bool negate = false)
    {
        Rational t2 = 0;
        foreach (var v in t) t2 += v * v;
        var x = new Rational[t.Count + 1];
        for (int i = 0; i < t.Count; i++) x[i] = 2 * t[i] / (t2 + 1);
        x[t.Count] = (t2 - 1) / (t2 + 1);
        return negate ? x.Select(v => -v).ToArray() : x;
    }

    /// <summary>|x|² = 1 exactly.</summary>
    public static bool IsUnit(IReadOnlyList<Rational> x) => Matrices.Dot(x, x).IsOne;
}
