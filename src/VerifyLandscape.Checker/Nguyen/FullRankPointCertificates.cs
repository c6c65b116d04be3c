using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Nguyen;

/// <summary>
/// nguyen.crit, nguyen.ray and nguyen.3.3: claims at a point (U, V) where rank Ψ(U) = N. Facts: the point and the N
/// units of a minor. The checker recomputes Ψ at the point in intervals, proves the minor non-singular, and re-derives
/// the claim's inequality from the kernel's cross-entropy enclosures: ‖∇_V Φ‖_F ≥ σ̲·‖P − Y‖_F/N &gt; 0 (crit);
/// ΨD ∋ Y and Φ'(s) &lt; 0 on [0, 16] (ray, D = Ψ_S⁻¹Y); margins of G* = ΨV* positive, Φ(V*) ∋ ε/2 = 1/4, and the
/// segment below max(Φ(V), Φ(V*)) + 10⁻⁶ (3.3, V* = Ψ_S⁻¹Y·t(1/2)).
/// </summary>
public static class FullRankPointCertificates
{
    private sealed record At(NetworkSpec Spec, Interval[,] Psi, int[] Columns, Interval[,] G, int[] Labels)
    {
        public int N => Spec.SampleCount;
        public int M => Spec.OutputWidth;

        public Interval[,] RightInverseTimes(Interval[,] b) =>
            IntervalLinearAlgebra.RightInverseTimes(Psi, Columns, b) ?? throw new Reject("the minor's solve failed");
    }

    private static At Read(Certificate c)
    {
        var s = c.Spec;
        NguyenSetting.RequireLocus(c, "random");
        if (s.Loss != LossKind.CrossEntropy) throw new Reject("out of the claim's hypotheses: the loss is not cross-entropy");
        if (s.OutputWidth < 2) throw new Reject("out of the claim's hypotheses: one output");
        var labels = NguyenSetting.OneHotLabels(s);
        if (!c.Certified) throw new Reject("the claim holds where rank Ψ = N: only a certified verdict has a certificate");
        var layout = s.Layout;
        var theta = NguyenSetting.Point(c);
        var (_, columns) = NguyenSetting.Minor(c);
        var sources = s.OutputSources;
        Interval[,] psi;
        try { psi = SkipFeatures.Psi(s, theta.Select(Interval.FromRational).ToArray()); }
        catch (Exception e) when (e is Scalars.UndecidedException or Scalars.NonSmoothPointException) { throw new Reject("Ψ is undecided at the point: " + e.Message); }
        if (!IntervalLinearAlgebra.ProvesNonSingular(IntervalLinearAlgebra.Columns(psi, columns), out _, out _))
            throw new Reject("the minor could not be proved non-singular: rank Ψ = N is not established");
        int ell = s.Depth;
        var v = new Interval[sources.Length, s.OutputWidth];
        for (int k = 0; k < sources.Length; k++) for (int j = 0; j < s.OutputWidth; j++) v[k, j] = Interval.FromRational(theta[layout.Weight(ell, j, k)]);
        var g = CrossEntropyEnclosures.Product(psi, v);
        if (layout.HasBias(ell))
            for (int i = 0; i < s.SampleCount; i++) for (int j = 0; j < s.OutputWidth; j++) g[i, j] += Interval.FromRational(theta[layout.BiasIndex(ell, j)]);
        return new At(s, psi, columns, g, labels);
    }

    [ChecksClaim("nguyen.crit", Wiring = Wiring.Skip)]
    public static string NoCriticalPoint(Certificate c)
    {
        var at = Read(c);
        var residual = CrossEntropyEnclosures.Residual(CrossEntropyEnclosures.Softmax(at.G), at.Labels);
        var n = Interval.Point(at.N);
        var gradNorm = CrossEntropyEnclosures.SquaredNorm(CrossEntropyEnclosures.Product(CrossEntropyEnclosures.Transpose(at.Psi), residual)).Sqrt() / n;
        double sigma = IntervalLinearAlgebra.SmallestSingularValueLowerBound(IntervalLinearAlgebra.Columns(at.Psi, at.Columns)) * (1 - Math.Pow(2, -20));
        var bound = Interval.Point(sigma) * CrossEntropyEnclosures.SquaredNorm(residual).Sqrt() / n;
        bool holds = sigma > 0 && bound.Lo > 0 && gradNorm.Lo >= bound.Hi;
        c.Conclude(holds, holds ? "the gradient bound" : $"‖∇_V Φ‖_F ∈ {gradNorm} is not shown ≥ σ̲‖P − Y‖_F/N ∈ {bound} > 0");
        return $"rank Ψ = N (minor recomputed) and ‖∇_V Φ‖_F ≥ {gradNorm.Lo:G6} ≥ σ̲‖P − Y‖_F/N with σ̲ = {sigma:G4} ≤ σ_N(Ψ): no critical point (recomputed)";
    }

    [ChecksClaim("nguyen.ray", Wiring = Wiring.Skip)]
    public static string DecreasingRay(Certificate c)
    {
        var at = Read(c);
        var psiD = CrossEntropyEnclosures.Product(at.Psi, at.RightInverseTimes(CrossEntropyEnclosures.ScaledOneHot(at.Labels, at.M, Interval.One)));
        for (int i = 0; i < at.N; i++) for (int j = 0; j < at.M; j++)
            if (!psiD[i, j].Contains(j == at.Labels[i] ? 1 : 0)) throw new Reject($"ΨD excludes Y at ({i}, {j})");
        var start = CrossEntropyEnclosures.Margins(at.G, at.Labels);
        var slope = CrossEntropyEnclosures.Margins(psiD, at.Labels);
        bool Negative(double lo, double hi, int depth)
        {
            var p = CrossEntropyEnclosures.SoftmaxOfMargins(CrossEntropyEnclosures.Along(start, slope, new Interval(lo, hi)), at.Labels);
            var d = Interval.Zero;
            for (int i = 0; i < at.N; i++) for (int j = 0; j < at.M; j++) d += (j == at.Labels[i] ? p[i, j] - Interval.One : p[i, j]) * psiD[i, j];
            if (d.Hi < 0) return true;
            double mid = 0.5 * (lo + hi);
            return depth < 20 && Negative(lo, mid, depth + 1) && Negative(mid, hi, depth + 1);
        }
        bool holds = Enumerable.Range(0, 16).All(k => Negative(k, k + 1, 0));
        c.Conclude(holds, holds ? "Φ' < 0 on [0, 16]" : "Φ'(s) < 0 is not shown on [0, 16]");
        return "rank Ψ = N (minor recomputed), ΨD ∋ Y, and Φ'(s) < 0 on [0, 16] (recomputed on bisected boxes): the ray strictly decreases";
    }

    [ChecksClaim("nguyen.3.3", Wiring = Wiring.Skip)]
    public static string RandConstruction(Certificate c)
    {
        var at = Read(c);
        var eps = Interval.Point(0.5);
        var t = (Interval.Point(at.M - 1) / ((eps * Interval.Point(0.5)).Exp() - Interval.One)).Log();
        if (t.Lo <= 0) throw new Reject($"t(ε) = {t} is not shown positive");
        var gStar = CrossEntropyEnclosures.Product(at.Psi, at.RightInverseTimes(CrossEntropyEnclosures.ScaledOneHot(at.Labels, at.M, t)));
        var marginsStar = CrossEntropyEnclosures.Margins(gStar, at.Labels);
        bool correct = Enumerable.Range(0, at.N).All(i => Enumerable.Range(0, at.M).All(j => j == at.Labels[i] || marginsStar[i, j].Hi < 0));
        var phiStar = CrossEntropyEnclosures.MeanLossOfMargins(marginsStar, at.Labels);
        var margins0 = CrossEntropyEnclosures.Margins(at.G, at.Labels);
        var phi0 = CrossEntropyEnclosures.MeanLossOfMargins(margins0, at.Labels);
        double alpha = Math.Max(phi0.Hi, phiStar.Hi) + 1e-6;
        var towards = new Interval[at.N, at.M];
        for (int i = 0; i < at.N; i++) for (int j = 0; j < at.M; j++) towards[i, j] = marginsStar[i, j] - margins0[i, j];
        bool Below(double lo, double hi, int depth) =>
            CrossEntropyEnclosures.MeanLossOfMargins(CrossEntropyEnclosures.Along(margins0, towards, new Interval(lo, hi)), at.Labels).Hi < alpha
            || (depth < 24 && Below(lo, 0.5 * (lo + hi), depth + 1) && Below(0.5 * (lo + hi), hi, depth + 1));
        var p = CrossEntropyEnclosures.Softmax(at.G);
        var trace = Interval.Zero;
        for (int i = 0; i < at.N; i++)
        {
            var row = Interval.Zero;
            for (int k = 0; k < at.Psi.GetLength(1); k++) row += at.Psi[i, k].Square();
            for (int j = 0; j < at.M; j++) trace += p[i, j] * (Interval.One - p[i, j]) * row;
        }
        bool holds = correct && phiStar.Contains(0.25) && Enumerable.Range(0, 64).All(k => Below(k / 64.0, (k + 1) / 64.0, 0)) && trace.Lo > 0;
        c.Conclude(holds, holds ? "the construction" : $"V* classifies correctly: {correct}; Φ(V*) = {phiStar} ∋ 1/4: {phiStar.Contains(0.25)}; trace {trace}");
        return $"rank Ψ = N (minor recomputed); V* = Ψ_S⁻¹Y·t classifies every sample, Φ(V*) ∈ {phiStar} ∋ ε/2, the segment stays below {alpha:G6}, and the V-block's trace is > 0 (recomputed)";
    }
}
