using System.Text.Json.Nodes;
using FsCheck;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using Interval = VerifyLandscape.Intervals.Interval;

namespace VerifyLandscape.Claims.Nguyen;

/// <summary>
/// What 001's claims at a point (U, V) with rank Ψ(U) = N share: the point random:SEED (chosen below), Ψ's enclosure and its rank
/// certificate there (else "out of hypotheses" when an exact bound shows rank Ψ &lt; N, "inconclusive" otherwise), and
/// the output layer G = ΨV (+ 1bᵀ). Each claim then decides its statement with interval enclosures.
/// </summary>
public abstract class AtAFullRankPoint : Claim
{
    public override IReadOnlyList<string> LocusKinds => [SkipNetworks.Kind];
    public override Wiring Accepts => Wiring.Skip;

    public static readonly Hypothesis TwoClasses = Hypothesis.OnSpec("m ≥ 2 classes", s => s.OutputWidth >= 2 ? null : "one output: Φ ≡ 0");

    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [NguyenHypotheses.CrossEntropy, NguyenHypotheses.OneHotTargets, TwoClasses, NguyenHypotheses.FullRankAtThePoint];

    /// <summary>The point and its enclosures: Ψ (N×M), V (M×m), the output bias (or null), the labels.</summary>
    protected sealed record Setting(NetworkSpec Spec, Rational[] Theta, Interval[,] Psi, RankCertificate Rank, Interval[,] V, Interval[]? Bias, int[] Labels)
    {
        public int N => Spec.SampleCount;
        public int M => Spec.OutputWidth;

        /// <summary>G = Ψ W + 1bᵀ for output weights W (M_skip × m).</summary>
        public Interval[,] Logits(Interval[,] w)
        {
            var g = CrossEntropyEnclosures.Product(Psi, w);
            if (Bias is not null) for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) g[i, j] += Bias[j];
            return g;
        }

        public Interval Loss(Interval[,] w) => CrossEntropyEnclosures.MeanLoss(Logits(w), Labels);

        /// <summary>
        /// D with ΨD = B, supported on the minor's columns (D_S = Ψ_S⁻¹B, an interval solve with cond(Ψ_S), not its square).
        /// Φ depends on V only through G = ΨV, and ΨΨ⁺B = B = ΨD when rank Ψ = N, so every loss along V + sΨ⁺B equals
        /// the loss along V + sD: the claims about Ψ⁺ are decided exactly through D. Null if the solve fails.
        /// </summary>
        public Interval[,]? RightInverseTimes(Interval[,] b) => IntervalLinearAlgebra.RightInverseTimes(Psi, Rank.Columns, b);

        public FullRankFacts Facts => new(Spec.Layout, Theta, Rank.Columns.Select(j => Spec.OutputSources[j]).ToArray());
        public string RankText => $"rank Ψ = N (minor on units {string.Join(" ", Rank.Columns.Select(j => Spec.OutputSources[j]))}, ‖I − RΨ_S‖∞ ≤ {Rank.Beta:G3})";
    }

    protected sealed override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        if (RankBound.Find(s, c.Seed) is { } bound) return Verdict.OutOfHypotheses($"rank Ψ < N for this network: {bound.Reason}");
        // The first of eight seeded points (seeds SEED, SEED + 1000003, …; rationals divided by 4, then 16: small
        // weights keep sigmoids out of saturation) where Ψ has a certified minor with β ≤ 10⁻⁸; else the best one.
        (Rational[] Theta, Interval[,] Psi, RankCertificate Rank)? chosen = null;
        foreach (var candidate in from offset in new[] { 0, 1, 2, 3 } from f in new[] { 4, 16 }
                                  select SeededRationals.Draw(s.ParameterCount, c.Seed + offset * 1_000_003).Select(q => q / f).ToArray())
        {
            Interval[,] enclosure;
            try { enclosure = SkipNetworks.PsiEnclosure(s, candidate); }
            catch (Exception e) when (e is Scalars.UndecidedException or Scalars.NonSmoothPointException) { continue; }
            if (SkipNetworks.CertifyFullRowRank(enclosure) is not { } certificate) continue;
            if (chosen is null || certificate.Beta < chosen.Value.Rank.Beta) chosen = (candidate, enclosure, certificate);
            if (certificate.Beta <= 1e-8) break;
        }
        if (chosen is not var (theta, psi, rank)) return Verdict.Inconclusive("rank Ψ = N could not be certified at any of the eight seeded points (no N×N minor proved non-singular)");
        var layout = s.Layout;
        int ell = s.Depth, mSkip = s.OutputSources.Length;
        var v = new Interval[mSkip, s.OutputWidth];
        for (int k = 0; k < mSkip; k++) for (int j = 0; j < s.OutputWidth; j++) v[k, j] = Interval.FromRational(theta[layout.Weight(ell, j, k)]);
        var bias = layout.HasBias(ell) ? Enumerable.Range(0, s.OutputWidth).Select(j => Interval.FromRational(theta[layout.BiasIndex(ell, j)])).ToArray() : null;
        return Judge(new Setting(s, theta, psi, rank, v, bias, SkipNetworks.Labels(s)));
    }

    protected abstract Verdict Judge(Setting at);

    public override Gen<ClaimInstance> Generator => SkipNetworks.Instances(Id, RankOfPsi.LemmaSpecs);
    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance) => SkipNetworks.ShrinkInstance(instance);

    /// <summary>Where a property was shown on boxes: everywhere (Shown), or the box [Lo, Hi] where it was not, for the budget or at the finest width.</summary>
    protected readonly record struct BoxSearch(bool Shown, int Boxes, double Lo, double Hi, bool OverBudget);

    /// <summary>
    /// Shows <paramref name="holds"/> on every box of [from, to], cut into <paramref name="pieces"/> and each bisected
    /// (depth first) where it fails, down to width <paramref name="finest"/>, within <paramref name="budget"/> boxes.
    /// </summary>
    protected static BoxSearch OnBoxes(double from, double to, int pieces, double finest, int budget, Func<Interval, bool> holds)
    {
        var pending = new Stack<(double Lo, double Hi)>();
        for (int k = pieces - 1; k >= 0; k--) pending.Push((from + (to - from) * k / pieces, from + (to - from) * (k + 1) / pieces));
        int boxes = 0;
        while (pending.Count > 0)
        {
            var (lo, hi) = pending.Pop();
            if (++boxes > budget) return new(false, boxes, lo, hi, OverBudget: true);
            if (holds(new Interval(lo, hi))) continue;
            if (hi - lo < finest) return new(false, boxes, lo, hi, OverBudget: false);
            double mid = 0.5 * (lo + hi);
            pending.Push((mid, hi));
            pending.Push((lo, mid));
        }
        return new(true, boxes, from, to, OverBudget: false);
    }

    protected static JsonObject Enclosures(params (string Name, Interval Value)[] values) =>
        new(values.Select(v => KeyValuePair.Create(v.Name, (JsonNode?)v.Value.ToString())));
}

/// <summary>
/// N-crit [new, notes §1.2]: where rank Ψ(U) = N there is no critical point: ∇_V Φ = Ψᵀ(P − Y)/N and
/// ‖∇_V Φ‖_F ≥ σ_N(Ψ)·‖P − Y‖_F / N &gt; 0. Decided at the point with enclosures, in the form the instance can test:
/// ‖∇_V Φ‖_F ≥ σ̲·‖P − Y‖_F/N &gt; 0 for a certified σ̲ ≤ σ_N(Ψ) from the non-singular minor (the inequality with σ_N
/// itself is an equality when N = 1, which no enclosure can certify). The evidence also bounds σ_N(Ψ) from above by
/// the Rayleigh quotient ‖Ψᵀu‖/‖u‖ at an approximate smallest left singular vector u.
/// </summary>
public sealed class NoCriticalPoint : AtAFullRankPoint
{
    public override string Id => "nguyen.crit";
    public override string Source => "Nguyen, Mukkamala, Hein (001), corollary of Lemma 3.2 (notes §1.2, new)";
    public override string Statement => "where rank Ψ = N: ‖∇_V Φ‖_F ≥ σ_N(Ψ)·‖P − Y‖_F/N > 0 (no critical point)";

    protected override Verdict Judge(Setting at)
    {
        var g = at.Logits(at.V);
        var residual = CrossEntropyEnclosures.Residual(CrossEntropyEnclosures.Softmax(g), at.Labels);
        var gradient = CrossEntropyEnclosures.Product(CrossEntropyEnclosures.Transpose(at.Psi), residual);
        var n = Interval.Point(at.N);
        var gradNorm = CrossEntropyEnclosures.SquaredNorm(gradient).Sqrt() / n;
        var residualNorm = CrossEntropyEnclosures.SquaredNorm(residual).Sqrt();
        // σ_N(Ψ) ≥ σ_min(Ψ_S) ≥ σ̲ (rigorous, from the minor), and ≤ ‖Ψᵀu‖/‖u‖ for any u (for the evidence).
        // Shrunk by 2⁻²⁰ (still a lower bound): with N = M = 1 the inequality is an equality, which no enclosure certifies.
        double sigmaLower = IntervalLinearAlgebra.SmallestSingularValueLowerBound(IntervalLinearAlgebra.Columns(at.Psi, at.Rank.Columns)) * (1 - Math.Pow(2, -20));
        var u = SmallestLeftSingularVector(at.Psi);
        var uT = new Interval[1, at.N];
        for (int i = 0; i < at.N; i++) uT[0, i] = Interval.Point(u[i]);
        var sigmaUpper = (CrossEntropyEnclosures.SquaredNorm(CrossEntropyEnclosures.Product(uT, at.Psi)) / CrossEntropyEnclosures.SquaredNorm(uT)).Sqrt();
        var bound = Interval.Point(sigmaLower) * residualNorm / n;
        var evidence = Enclosures(("‖∇_V Φ‖_F", gradNorm), ("‖P − Y‖_F", residualNorm), ("σ_N(Ψ) ≥", Interval.Point(sigmaLower)), ("σ_N(Ψ) ≤", sigmaUpper), ("σ̲‖P − Y‖_F/N", bound));
        evidence["point"] = Evidence.Point(at.Spec.Layout, at.Theta);
        if (sigmaLower <= 0 || residualNorm.Lo <= 0)
            return Verdict.Inconclusive($"{at.RankText}, but no positive lower bound on σ_N(Ψ) ({sigmaLower}) or on ‖P − Y‖_F ({residualNorm}) was found");
        // The theorem's inequality with the certified σ̲ ≤ σ_N: a smaller right side, so it must hold with room to spare.
        if (gradNorm.Hi < bound.Lo)
            return Verdict.Refuted($"‖∇_V Φ‖_F ≤ {gradNorm.Hi:G6} < {bound.Lo:G6} ≤ σ_N(Ψ)·‖P − Y‖_F/N", evidence);
        if (gradNorm.Lo < bound.Hi)
            return Verdict.Inconclusive($"{at.RankText}; ‖∇_V Φ‖_F ∈ {gradNorm} and σ̲‖P − Y‖_F/N ∈ {bound} overlap");
        return Verdict.Certified($"{at.RankText}; ‖∇_V Φ‖_F ≥ {gradNorm.Lo:G6} ≥ σ̲·‖P − Y‖_F/N with σ̲ = {sigmaLower:G4} ≤ σ_N(Ψ) (≤ {sigmaUpper.Hi:G4}), and > 0: " +
            "not a critical point (interval enclosures)", evidence, at.Facts);
    }

    /// <summary>An approximate unit vector u minimising ‖Ψᵀu‖: inverse iteration on mid(ΨΨᵀ) in floating point (only a choice).</summary>
    private static double[] SmallestLeftSingularVector(Interval[,] psi)
    {
        var a = IntervalLinearAlgebra.Midpoint(CrossEntropyEnclosures.Product(psi, CrossEntropyEnclosures.Transpose(psi)));
        int n = a.GetLength(0);
        var u = Enumerable.Range(0, n).Select(i => 1.0 + 0.1 * i).ToArray();
        if (IntervalLinearAlgebra.Inverse(a) is not { } inv) return u;
        for (int iteration = 0; iteration < 50; iteration++)
        {
            var next = new double[n];
            for (int i = 0; i < n; i++) for (int k = 0; k < n; k++) next[i] += inv[i, k] * u[k];
            double norm = Math.Sqrt(next.Sum(x => x * x));
            if (!(norm > 0) || !double.IsFinite(norm)) break;
            u = next.Select(x => x / norm).ToArray();
        }
        return u;
    }
}

/// <summary>
/// N-ray [new, notes §1.2]: where rank Ψ(U) = N, along V(s) = V + s·Ψ⁺Y (s ≥ 0) the loss is strictly decreasing and
/// tends to 0: G(s) = G(0) + sY, so every term log(1 + Σ_{k≠y} e^{G_ik − G_iy − s}) decreases. Checked on the instance:
/// with D = Ψ_S⁻¹Y on the minor's columns (same G(s), so the same loss, as Ψ⁺Y), the enclosure of ΨD must contain Y, and Φ'(s) = (1/N) Σ_ij (P_ij(s) − Y_ij)(ΨD)_ij &lt; 0 on every box of
/// [0, 16] (bisected where needed); beyond 16 the exact argument above.
/// </summary>
public sealed class DecreasingRay : AtAFullRankPoint
{
    public override string Id => "nguyen.ray";
    public override string Source => "Nguyen, Mukkamala, Hein (001), §3.3 (notes §1.2, new)";
    public override string Statement => "where rank Ψ = N, Φ(U, V + sΨ⁺Y) is strictly decreasing in s ≥ 0 and tends to 0";
    private const double Horizon = 16;

    protected override Verdict Judge(Setting at)
    {
        var direction = at.RightInverseTimes(CrossEntropyEnclosures.ScaledOneHot(at.Labels, at.M, Interval.One));
        if (direction is null) return Verdict.Inconclusive($"{at.RankText}, but the solve Ψ_S D_S = Y failed");
        var psiD = CrossEntropyEnclosures.Product(at.Psi, direction);
        for (int i = 0; i < at.N; i++)
            for (int j = 0; j < at.M; j++)
                if (!psiD[i, j].Contains(j == at.Labels[i] ? 1 : 0))
                    return Verdict.Refuted($"ΨD ≠ Y: entry ({i}, {j}) of its enclosure is {psiD[i, j]}", new JsonObject { ["point"] = Evidence.Point(at.Spec.Layout, at.Theta) });
        // Φ'(s) on boxes of s, bisected until negative (a budget of 4096 boxes); G(s) = G0 + sΨD through the margins,
        // in which s occurs once per entry.
        var margins0 = CrossEntropyEnclosures.Margins(at.Logits(at.V), at.Labels);
        var marginSlope = CrossEntropyEnclosures.Margins(psiD, at.Labels);
        Interval Slope(Interval s)
        {
            var p = CrossEntropyEnclosures.SoftmaxOfMargins(CrossEntropyEnclosures.Along(margins0, marginSlope, s), at.Labels);
            var slope = Interval.Zero;
            for (int i = 0; i < at.N; i++) for (int j = 0; j < at.M; j++) slope += (j == at.Labels[i] ? p[i, j] - Interval.One : p[i, j]) * psiD[i, j];
            return slope;
        }
        var search = OnBoxes(0, Horizon, (int)Horizon, 1e-6, 4096, s => Slope(s).Hi < 0);
        if (!search.Shown)
            return Verdict.Inconclusive(search.OverBudget
                ? $"{at.RankText}; Φ'(s) < 0 not shown on [{search.Lo}, {search.Hi}] within 4096 boxes (budget)"
                : $"{at.RankText}; Φ'(s) on [{search.Lo}, {search.Hi}] encloses {Slope(new Interval(search.Lo, search.Hi)) / Interval.Point(at.N)}, not shown negative");
        int boxes = search.Boxes;
        var phi0 = at.Loss(at.V);
        var end = new Interval[at.V.GetLength(0), at.M];
        for (int k = 0; k < end.GetLength(0); k++) for (int j = 0; j < at.M; j++) end[k, j] = at.V[k, j] + Interval.Point(Horizon) * direction[k, j];
        var phiEnd = at.Loss(end);
        var evidence = Enclosures(("Φ(0)", phi0), ($"Φ({Horizon})", phiEnd));
        evidence["point"] = Evidence.Point(at.Spec.Layout, at.Theta);
        evidence["boxes"] = boxes;
        return Verdict.Certified($"{at.RankText}; ΨD ∋ Y, and Φ'(s) < 0 on [0, {Horizon}] ({boxes} interval boxes): Φ falls from {phi0.Hi:G6} to ≤ {phiEnd.Hi:G6}; " +
            "beyond, G(s) = G(0) + sY makes every term strictly decreasing with limit 0", evidence, at.Facts);
    }
}

/// <summary>
/// N-3.3 ("rand", notes §1.2–1.3): where rank Ψ(U) = N, V* = Ψ⁺Y·t(ε) with t(ε) = log((m−1)/(e^{ε/2} − 1)) has zero
/// training error and Φ(U, V*) = ε/2 (exactly: ΨV* = Yt gives ℓ_i = log(1 + (m−1)e^{−t}) = ε/2); the segment from
/// (U, V) to (U, V*) stays below α = max(Φ(U, V), ε/2) + 10⁻⁶; and (U, V) is no local maximum: the V-block of the
/// Hessian, (1/N) Σ_i (diag p_i − p_i p_iᵀ) ⊗ ψ_iψ_iᵀ, is PSD with trace (1/N) Σ_ij p_ij(1 − p_ij)‖ψ_i‖² &gt; 0.
/// Here ε = 1/2; every part is checked with enclosures (V* through Ψ_S⁻¹Y·t, which gives the same G = Yt and hence the
/// same loss on V* and on the segment as Ψ⁺Y·t; the segment on bisected boxes).
/// </summary>
public sealed class RandConstruction : AtAFullRankPoint
{
    public override string Id => "nguyen.3.3";
    public override string Source => "Nguyen, Mukkamala, Hein (001), Theorem 3.3 and the rand construction";
    public override string Statement => "where rank Ψ = N: V* = Ψ⁺Y·t(ε) has zero training error and Φ = ε/2; the segment to V* stays below the level; no local maximum";
    public static readonly Rational Epsilon = Rational.Half;

    protected override Verdict Judge(Setting at)
    {
        var eps = Interval.FromRational(Epsilon);
        var t = (Interval.Point(at.M - 1) / ((eps * Interval.Point(0.5)).Exp() - Interval.One)).Log();
        if (t.Lo <= 0) return Verdict.Inconclusive($"t(ε) = {t} is not shown positive");
        var vStar = at.RightInverseTimes(CrossEntropyEnclosures.ScaledOneHot(at.Labels, at.M, t));
        if (vStar is null) return Verdict.Inconclusive($"{at.RankText}, but the solve Ψ_S V*_S = Y·t failed");
        var evidence = new JsonObject { ["point"] = Evidence.Point(at.Spec.Layout, at.Theta), ["t"] = t.ToString() };
        var gStar = at.Logits(vStar);
        for (int i = 0; i < at.N; i++)
            for (int j = 0; j < at.M; j++)
                if (j != at.Labels[i] && (gStar[i, at.Labels[i]] - gStar[i, j]).Lo <= 0)
                    return (gStar[i, at.Labels[i]] - gStar[i, j]).Hi < 0
                        ? Verdict.Refuted($"V* misclassifies sample {i}: G*_{{{i},{at.Labels[i]}}} − G*_{{{i},{j}}} ∈ {gStar[i, at.Labels[i]] - gStar[i, j]}", evidence)
                        : Verdict.Inconclusive($"the margin of sample {i} against class {j} at V* is not shown positive ({gStar[i, at.Labels[i]] - gStar[i, j]})");
        var phiStar = at.Loss(vStar);
        evidence["Φ(V*)"] = phiStar.ToString();
        if (!phiStar.Contains(0.25)) return Verdict.Refuted($"Φ(U, V*) ∈ {phiStar}, which excludes ε/2 = 1/4", evidence);
        // The segment V(λ) = (1 − λ)V + λV*, on bisected boxes of λ: its margins are Δ0 + λ(Δ* − Δ0).
        var phi0 = at.Loss(at.V);
        double alpha = Interval.Up(Math.Max(phi0.Hi, phiStar.Hi) + 1e-6);
        var margins0 = CrossEntropyEnclosures.Margins(at.Logits(at.V), at.Labels);
        var marginsStar = CrossEntropyEnclosures.Margins(gStar, at.Labels);
        var towards = new Interval[at.N, at.M];
        for (int i = 0; i < at.N; i++) for (int j = 0; j < at.M; j++) towards[i, j] = marginsStar[i, j] - margins0[i, j];
        var search = OnBoxes(0, 1, 64, 1e-9, 8192,
            lambda => CrossEntropyEnclosures.MeanLossOfMargins(CrossEntropyEnclosures.Along(margins0, towards, lambda), at.Labels).Hi < alpha);
        if (!search.Shown)
            return Verdict.Inconclusive(search.OverBudget
                ? $"the segment below α = {alpha:G6} was not shown within 8192 boxes (budget)"
                : $"Φ on λ ∈ [{search.Lo}, {search.Hi}] is not shown below α = {alpha:G6}");
        int boxes = search.Boxes;
        // No local maximum at (U, V): the trace of the PSD V-block is positive.
        var p = CrossEntropyEnclosures.Softmax(at.Logits(at.V));
        var trace = Interval.Zero;
        for (int i = 0; i < at.N; i++)
        {
            var row = Interval.Zero;
            for (int k = 0; k < at.Psi.GetLength(1); k++) row += at.Psi[i, k].Square();
            for (int j = 0; j < at.M; j++) trace += p[i, j] * (Interval.One - p[i, j]) * row;
        }
        trace /= Interval.Point(at.N);
        evidence["Φ(V)"] = phi0.ToString();
        evidence["trace of the V-block"] = trace.ToString();
        evidence["segment boxes"] = boxes;
        if (trace.Lo <= 0) return Verdict.Inconclusive($"the trace of the V-block, {trace}, is not shown positive");
        return Verdict.Certified($"{at.RankText}; t(ε = 1/2) ∈ {t} > 0; V* = Ψ⁺Y·t classifies every sample correctly and Φ(V*) ∈ {phiStar} ∋ 1/2·ε; " +
            $"the segment from V stays below α = {alpha:G6} ({boxes} boxes); the V-block's trace ≥ {trace.Lo:G4} > 0, so (U, V) is no local maximum", evidence, at.Facts);
    }
}
