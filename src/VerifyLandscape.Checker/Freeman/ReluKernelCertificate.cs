using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Freeman;

/// <summary>
/// freeman.2.3, freeman.2.3-r1, freeman.2.3-r2 on a finite distribution (X uniform on the spec's inputs). Facts: the unit
/// vectors w1, w2 and an enclosure [σ_lo, σ_hi] of ‖Σ_X‖. The checker verifies ‖w1‖ = ‖w2‖ = 1 exactly (and w1 = w2 for
/// R2), σ_lo ≤ λ_max(Σ_X) (σ_lo I − Σ_X is not positive definite) and λ_max(Σ_X) ≤ σ_hi (σ_hi I − Σ_X ⪰ 0) by exact LDLᵀ,
/// recomputes [w1,w2]_Z, ‖w_m‖²_Z and cos α, and decides the inequality the claim states from the enclosure.
/// </summary>
public static class ReluKernelCertificate
{
    [ChecksClaim("freeman.2.3")] public static string Bounds(Certificate c) => Check(c, Statement.Bounds);
    [ChecksClaim("freeman.2.3-r1")] public static string Remark1(Certificate c) => Check(c, Statement.Remark1);
    [ChecksClaim("freeman.2.3-r2")] public static string Remark2(Certificate c) => Check(c, Statement.Remark2);

    private enum Statement { Bounds, Remark1, Remark2 }

    private static string Check(Certificate c, Statement which)
    {
        var s = c.Spec;
        if (s.Depth != 2 || s.Widths[1] != 2 || s.Bias || !s.HiddenActivations[0].IsRelu || s.InputWidth < 2)
            throw new Reject("out of the claim's hypotheses: the spec is not a bias-free relu layer of 2 units on d ≥ 2 inputs");
        string kind = which == Statement.Remark2 ? "equal:" : "pair:";
        if (!c.Locus.StartsWith(kind, StringComparison.Ordinal)) throw new Reject($"the locus '{c.Locus}' is not {kind}SEED");
        int d = s.InputWidth;
        Rational[] w1 = Vector(c, "w1", d), w2 = Vector(c, "w2", d);
        if (Matrices.Dot(w1, w1) != 1 || Matrices.Dot(w2, w2) != 1) throw new Reject("w1 or w2 is not a unit vector");
        if (which == Statement.Remark2 && !w1.SequenceEqual(w2)) throw new Reject("R2 is decided at α = 0: w1 must equal w2");
        Rational cos = Matrices.Dot(w1, w2);
        if (cos == -1) throw new Reject("α = π: the bisector is undefined");

        Rational n = s.SampleCount, kernel = 0, bisector = 0;
        var sum = w1.Zip(w2, (a, b) => a + b).ToArray();
        var sigma = Matrices.Zeros(d, d);
        foreach (var x in s.X)
        {
            Rational z1 = Relu(Matrices.Dot(w1, x)), z2 = Relu(Matrices.Dot(w2, x)), zs = Relu(Matrices.Dot(sum, x));
            kernel += z1 * z2 / n;
            bisector += zs * zs / n;
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) sigma[i, j] += x[i] * x[j] / n;
        }
        bisector /= 2 + 2 * cos;
        Rational lo = Certificate.Number(c.Facts["sigmaNormLower"], "sigmaNormLower"), hi = Certificate.Number(c.Facts["sigmaNormUpper"], "sigmaNormUpper");
        if (lo.Sign < 0 || lo > hi) throw new Reject($"[{lo}, {hi}] is not an enclosure of a norm");
        if (ExactLinearAlgebra.InertiaOf(Matrices.Shift(sigma, lo).Scaled(-1)).Positive == d) throw new Reject($"‖Σ_X‖ < {lo} (σ_lo I − Σ_X is positive definite)");
        if (!Matrices.IsPositiveSemidefinite(Matrices.Shift(sigma, hi).Scaled(-1))) throw new Reject($"‖Σ_X‖ > {hi}");

        var (holds, text) = which switch
        {
            Statement.Bounds => Bounds(kernel, bisector, cos, lo, hi),
            Statement.Remark1 => Remark1(kernel, bisector, cos, lo, hi),
            _ => Remark2(kernel, lo, hi),
        };
        if (holds is not { } h) throw new Reject($"the enclosure [{lo}, {hi}] of ‖Σ_X‖ does not decide the statement ({text})");
        c.Conclude(h, text);
        return $"recomputed: [w1,w2]_Z = {kernel}, ‖w_m‖²_Z = {bisector}, cos α = {cos}, ‖Σ_X‖ ∈ [{lo}, {hi}] (exact LDLᵀ); {text}";
    }

    private static (bool?, string) Bounds(Rational kernel, Rational bisector, Rational cos, Rational lo, Rational hi)
    {
        Rational upper = (1 + cos) / 2 * bisector, slope = 2 * ((1 - cos) / 2 + 1 - cos * cos);
        if (kernel > upper) return (false, $"[w1,w2]_Z > {upper}, the upper bound");
        return upper - slope * lo <= kernel ? (true, $"{upper} − {slope}·‖Σ_X‖ ≤ [w1,w2]_Z ≤ {upper}")
             : upper - slope * hi > kernel ? (false, $"the lower bound exceeds [w1,w2]_Z") : (null, "lower bound");
    }

    private static (bool?, string) Remark1(Rational kernel, Rational bisector, Rational cos, Rational lo, Rational hi)
    {
        var middle = cos * bisector;
        if (kernel > middle) return (false, $"[w1,w2]_Z = {kernel} > ⟨w1,w2⟩‖w_m‖²_Z = {middle}");
        Rational a = Rational.Min(cos * lo, cos * hi), b = Rational.Max(cos * lo, cos * hi);
        return middle <= a ? (true, "both inequalities of R1 hold") : middle > b ? (false, $"⟨w1,w2⟩‖w_m‖²_Z = {middle} > ‖Σ_X‖⟨w1,w2⟩") : (null, "second inequality");
    }

    private static (bool?, string) Remark2(Rational norm, Rational lo, Rational hi)
    {
        if (lo.IsZero) return (null, "‖Σ_X‖'s enclosure reaches 0");
        return 2 / (3 * lo) <= norm ? (true, $"2/(3‖Σ_X‖) ≤ ‖w‖²_Z = {norm}") : 2 / (3 * hi) > norm ? (false, $"2/(3‖Σ_X‖) > ‖w‖²_Z = {norm}") : (null, "R2");
    }

    private static Rational[] Vector(Certificate c, string name, int d)
    {
        var a = Certificate.Array(c.Facts, name);
        if (a.Count != d) throw new Reject($"'{name}' has {a.Count} entries, the inputs have {d}");
        return a.Select((v, i) => Certificate.Number(v, $"{name}[{i}]")).ToArray();
    }


    private static Rational Relu(Rational z) => z.Sign > 0 ? z : 0;
}
