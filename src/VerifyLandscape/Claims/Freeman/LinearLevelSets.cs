using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Claims.Freeman;

/// <summary>
/// A disconnection of Ω(λ) for a linear network with a hidden layer j of width r = min(n_in, n_out), found exactly.
/// Let T = Y Xᵀ (X Xᵀ)⁻¹ be the least-squares fit and E = Y − T X (so X Eᵀ = 0). For every product M = W_K ⋯ W_1,
///   ‖Y − M X‖² = ‖E‖² + ‖(T − M) X‖²,
/// and if rank M &lt; r the second term is ≥ a·b, with a ≤ λ_min(X Xᵀ) and b ≤ λ_min of T Tᵀ (r = n_out: a unit u with
/// uᵀM = 0 gives ‖uᵀ T X‖² ≥ a‖Tᵀu‖² ≥ ab) or of TᵀT (r = n_in: a unit v with M v = 0 gives ‖(T − M)X‖² ≥ a‖Tv‖² ≥ ab).
/// So on Ω(λ) with L·λ &lt; ‖E‖² + ab (the penalty is ≥ 0) rank M = r, hence the r × r partial product
/// P = W_K ⋯ W_{j+1} (r = n_out, "upper") or P = W_j ⋯ W_1 (r = n_in, "lower") is invertible: g = det P is continuous
/// and never 0 on Ω(λ). θ^A factors T through the widths; θ^B negates unit 0 of layer j (its row in W_j, its column in
/// W_{j+1}): the same product and penalty, so F(θ^B) = F(θ^A) ≤ λ, and det P changes sign. Ω(λ) is not connected.
/// </summary>
public sealed record Disconnection(int Layer, bool Upper, Rational Level, Rational[] A, Rational[] B, Rational[,] Fit,
                                   Rational InputBound, Rational FitBound, Rational ResidualSquared, Rational DetA, Rational DetB)
{
    public string Separator(NetworkSpec s) => "det(" + (Upper ? Chain(s.Depth, Layer + 1) : Chain(Layer, 1)) + ")";
    private static string Chain(int top, int bottom) => top == bottom ? $"W{top}" : $"W{top}⋯W{bottom}";

    /// <summary>The construction above, or null with why it does not apply.</summary>
    public static Disconnection? Find(NetworkSpec s, out string why)
    {
        int r = FreemanHypotheses.MinEnd(s), L = s.SampleCount;
        int layer = Enumerable.Range(1, s.Depth - 1).FirstOrDefault(k => s.Widths[k] == r);
        why = "";
        if (layer == 0) { why = $"no hidden width equals min(n_in, n_out) = {r}"; return null; }
        bool upper = r == s.OutputWidth;
        if (LinearChains.LeastSquaresFit(s) is not { } fit) { why = "X Xᵀ is singular (the inputs do not span R^n_in)"; return null; }
        var x = LinearChains.Columns(s.X);
        var gram = Matrices.Multiply(x, Matrices.Transpose(x));
        var residual = Matrices.Add(LinearChains.Columns(s.Y), Matrices.Multiply(fit, x), -1);
        var fitGram = upper ? Matrices.Multiply(fit, Matrices.Transpose(fit)) : Matrices.Multiply(Matrices.Transpose(fit), fit);
        var a = PositiveLowerBound(gram);
        var b = PositiveLowerBound(fitGram);
        if (a.Sign <= 0 || b.Sign <= 0) { why = $"the least-squares fit T has rank < {r}: no rank-r product is forced"; return null; }
        var wa = Factor(s, fit, upper, BalancingScale(s, fit));
        var wb = wa.Select(m => m is null ? null : (Rational[,])m.Clone()).ToArray();
        for (int i = 0; i < wb[layer].GetLength(1); i++) wb[layer][0, i] = -wb[layer][0, i];
        for (int i = 0; i < wb[layer + 1].GetLength(0); i++) wb[layer + 1][i, 0] = -wb[layer + 1][i, 0];
        Rational[] pa = LinearChains.Point(s, wa), pb = LinearChains.Point(s, wb);
        Rational fa = Loss.Evaluate(s, pa), fb = Loss.Evaluate(s, pb);
        var level = Rational.Max(fa, fb);
        var residualSquared = Matrices.FrobeniusSquared(residual);
        if (L * level >= residualSquared + a * b)
        {
            why = $"F(θ^A) = {level} is not below the bound (‖E‖² + ab)/L = {(residualSquared + a * b) / L} (the penalty is too large for this construction)";
            return null;
        }
        Rational Det(Rational[][,] w) => ExactLinearAlgebra.Determinant(upper ? LinearChains.Product(w, layer + 1, s.Depth) : LinearChains.Product(w, 1, layer));
        return new Disconnection(layer, upper, level, pa, pb, fit, a, b, residualSquared, Det(wa), Det(wb));
    }

    /// <summary>A positive rational ≤ λ_min(S) when S ≻ 0 (bisection on exact semidefiniteness), else 0.</summary>
    private static Rational PositiveLowerBound(Rational[,] s)
    {
        var (lo, _) = Matrices.EigenvalueEnclosure(s, upper: false, steps: 24);
        return lo.Sign > 0 ? lo : 0;
    }

    /// <summary>
    /// θ^A with product T: the r-dimensional channel carries T through embeddings [I 0]; T sits in the last layer
    /// (r = n_in) or the first (r = n_out), divided by c², and each other layer is multiplied by c (K = 2: c balances
    /// ‖W_1‖ and ‖W_2‖ so that the ridge term is small; otherwise c = 1).
    /// </summary>
    private static Rational[][,] Factor(NetworkSpec s, Rational[,] fit, bool upper, Rational c)
    {
        int K = s.Depth, r = FreemanHypotheses.MinEnd(s);
        var w = new Rational[K + 1][,];
        for (int k = 1; k <= K; k++)
        {
            w[k] = Matrices.Zeros(s.Widths[k], s.Widths[k - 1]);
            for (int i = 0; i < r; i++) w[k][i, i] = 1;
        }
        int fitLayer = upper ? 1 : K;
        w[fitLayer] = Matrices.Zeros(s.Widths[fitLayer], s.Widths[fitLayer - 1]);
        for (int i = 0; i < fit.GetLength(0); i++)
            for (int j = 0; j < fit.GetLength(1); j++) w[fitLayer][i, j] = fit[i, j];
        if (K == 2 && !c.IsOne)
        {
            w[fitLayer] = w[fitLayer].Scaled(1 / c);
            w[3 - fitLayer] = w[3 - fitLayer].Scaled(c);
        }
        return w;
    }

    /// <summary>c ≈ (‖T‖_F / √r)^{1/2}, rounded to a simple rational: ‖T/c‖ ≈ ‖c I_r‖, which nearly minimises the ridge term.</summary>
    private static Rational BalancingScale(NetworkSpec s, Rational[,] fit)
    {
        if (s.WeightDecay.IsZero || s.Depth != 2) return 1;
        double c = Math.Sqrt(Math.Sqrt(Matrices.FrobeniusSquared(fit).ToDouble() / FreemanHypotheses.MinEnd(s)));
        return c > 0 ? Rational.Create((long)Math.Round(c * 8) is var n and > 0 ? n : 1, 8) : 1;
    }

    public JsonObject Evidence(NetworkSpec s) => new()
    {
        ["level"] = Level.ToString(),
        ["separator"] = Separator(s),
        ["separatorAtA"] = DetA.ToString(),
        ["separatorAtB"] = DetB.ToString(),
        ["bound"] = ((ResidualSquared + InputBound * FitBound) / s.SampleCount).ToString(),
        ["pointA"] = Claims.Evidence.Point(s.Layout, A),
        ["pointB"] = Claims.Evidence.Point(s.Layout, B),
    };
}

/// <summary>The certificate of a disconnection: the two points, the level, the separator, the fit and the two eigenvalue bounds.</summary>
public sealed record DisconnectionFacts(NetworkSpec Spec, Disconnection D) : CertificateFacts
{
    public override JsonObject ToJson() => new()
    {
        ["level"] = D.Level.ToString(),
        ["separator"] = new JsonObject { ["kind"] = "det", ["side"] = D.Upper ? "upper" : "lower", ["layer"] = D.Layer },
        ["pointA"] = Evidence.Point(Spec.Layout, D.A),
        ["pointB"] = Evidence.Point(Spec.Layout, D.B),
        ["fit"] = Evidence.Matrix(D.Fit),
        ["inputEigenvalueBound"] = D.InputBound.ToString(),
        ["fitEigenvalueBound"] = D.FitBound.ToString(),
    };
}

/// <summary>
/// F-2.2 as printed: for a linear network with every hidden width ≥ min(n_in, n_out), every level set Ω(λ) is
/// connected (κ = 0, any K; and κ &gt; 0 for K = 2: <see cref="RidgeConnectivity"/>). Known false: a hidden width equal to
/// min(n_in, n_out) admits a <see cref="Disconnection"/>. Instances "pair:0": the construction is determined by the spec.
/// </summary>
public class PrintedConnectivity : Claim
{
    public override string Id => "freeman.2.2-printed";
    public override string Source => "Freeman, Bruna (002), Proposition 2.2 as printed (n_j ≥ min(n_1, n_K))";
    public override string Statement => "every level set Ω(λ) = {F ≤ λ} of a linear network whose hidden widths are ≥ min(n_in, n_out) is connected";
    public override Expectation Expected => Expectation.KnownFalse;
    public override IReadOnlyList<string> LocusKinds => ["pair"];
    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [FreemanHypotheses.Linear, FreemanHypotheses.Mse, SettingHypotheses.SomeHiddenLayer, FreemanHypotheses.NoPenalty, FreemanHypotheses.WidthsAtLeastMin];

    protected virtual bool WithRidge => false;

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        if (Disconnection.Find(s, out var why) is not { } d)
            return Verdict.Inconclusive($"no disconnection certificate: {why}; a connection is freeman.2.2's business");
        return Verdict.Refuted(
            $"Ω({d.Level}) is not connected: L·λ < ‖E‖² + ab forces rank W_K⋯W_1 = {FreemanHypotheses.MinEnd(s)} on it, so " +
            $"{d.Separator(s)} never vanishes there, and it is {d.DetA} at θ^A, {d.DetB} at θ^B, F = {d.Level} at both (exact)", d.Evidence(s), new DisconnectionFacts(s, d));
    }

    public override Rational[]? ConcretePoint(ClaimInstance c) => Disconnection.Find(c.Spec, out _)?.A;

    /// <summary>
    /// Linear networks with a tight hidden width (= min(n_in, n_out)) and the rest min or min + 1, K = 2 or 3 (2 with
    /// ridge), L ≥ n_in random samples; a ridge κ is drawn below what the construction can carry.
    /// </summary>
    public override Gen<ClaimInstance> Generator =>
        from depth in WithRidge ? Gen.Constant(2) : Gen.Choose(2, 3)
        from nIn in Gen.Choose(1, 3)
        from nOut in Gen.Choose(1, 3)
        from extra in Gen.ArrayOf(Gen.Choose(0, 1), depth - 1)
        from tight in Gen.Choose(1, depth - 1)
        from samples in Gen.Choose(nIn, nIn + 2)
        from xs in Gen.ArrayOf(Gen.ArrayOf(NetworkCases.SmallRational, nIn), samples)
        from ys in Gen.ArrayOf(Gen.ArrayOf(NetworkCases.SmallRational, nOut), samples)
        from share in Gen.Elements(2, 4, 10)
        let r = Math.Min(nIn, nOut)
        let spec = LinearSpec([nIn, .. extra.Select((e, k) => k + 1 == tight ? r : r + e), nOut], xs, ys)
        let withKappa = WithRidge ? Ridge(spec, share) : spec
        where withKappa is not null && Disconnection.Find(withKappa, out _) is not null
        select new ClaimInstance(Id, withKappa!, [0], Construction: "pair");

    /// <summary>A ridge κ = 1/q at most 1/share of what the construction can carry, or null when it carries none.</summary>
    private static NetworkSpec? Ridge(NetworkSpec s, int share)
    {
        // θ^A as the ridge case builds it (balanced), which does not depend on κ.
        if (Disconnection.Find(s.With(decay: Rational.Create(1, 1_000_000)), out _) is not { } d) return null;
        Rational norm = 0;
        foreach (var v in d.A) norm += v * v;
        var room = d.InputBound * d.FitBound / (s.SampleCount * norm); // κ‖θ^A‖² < ab/L
        var q = (room.Reciprocal() * share).Floor() + 1;
        return s.With(decay: 2 * Rational.Create(1, q));
    }

    public static NetworkSpec LinearSpec(int[] widths, Rational[][] xs, Rational[][] ys) => new()
    {
        Widths = widths, HiddenActivations = Enumerable.Repeat<Activation>(Activation.Identity, widths.Length - 2).ToArray(),
        OutputActivation = Activation.Identity, Bias = false, Loss = LossKind.Mse, WeightDecay = Rational.Zero, X = xs, Y = ys,
    };

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance)
    {
        foreach (var c in NetworkCases.Shrink(new NetworkCase(instance.Spec, 0)))
            yield return instance with { Spec = c.Spec };
    }
}

/// <summary>
/// F-2.2 with ridge, K = 2, as printed (hidden width ≥ min(n_in, n_out)): Ω(λ) connected for every λ. Known false for a
/// hidden width equal to min(n_in, n_out) (the scalar (1 − w₁w₂)² + κ(w₁² + w₂²), κ = 1/4, at λ = 1/2, in the notes).
/// </summary>
public sealed class RidgeConnectivity : PrintedConnectivity
{
    public override string Id => "freeman.2.2-ridge";
    public override string Source => "Freeman, Bruna (002), Proposition 2.2, the ridge case (κ > 0, K = 2), as printed";
    public override string Statement => "with ridge κ > 0 and K = 2, every level set of a linear network whose hidden width is ≥ min(n_in, n_out) is connected";
    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [FreemanHypotheses.Linear, FreemanHypotheses.Mse, FreemanHypotheses.OneHiddenLayer, FreemanHypotheses.Ridge, FreemanHypotheses.WidthsAtLeastMin];
    protected override bool WithRidge => true;
}
