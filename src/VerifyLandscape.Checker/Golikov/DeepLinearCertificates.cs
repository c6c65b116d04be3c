using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Golikov;

/// <summary>
/// golikov.linear, golikov.linear-ridge, golikov.linear-relu. For a bias-free linear net R(θ) = W_H⋯W_1 and, with
/// G = YXᵀ, F(θ) = ½‖Y‖² − ⟨G, R⟩ + ½‖RX‖² (+ λ/2‖θ‖²): a polynomial whose non-constant data terms have degree ≥ H.
///   origin, zero-correlation: G = 0, so F(θ) = ½‖Y‖² + ½‖RX‖² ≥ F(0): the origin is a global minimum.
///   origin, path-descent: d and ε; R(εd) = ε^H R(d), so F(ε'd) = F(0) − ε'^H a + ½ε'^{2H} b with a = ⟨G, R(d)⟩ &gt; 0,
///     b = ‖R(d)X‖², negative for 0 &lt; ε' ≤ ε when ε^H b &lt; 2a: the (critical) origin is not a local minimum.
///   trained: the point's exact F against the formula ½(‖Y‖² − Σ_{i≤d_p} λ_i(K)), K = G(XXᵀ)⁻¹Gᵀ, recomputed (exact
///     trace when rank K ≤ d_p, else Sylvester-count enclosures): F ≥ the lower end (else refuted) and within 10⁻⁶(1 + ½‖Y‖²).
///   ridge: H ≥ 3, λ &gt; 0 make ∇F(0) = 0 and ∇²F(0) = λI (a strict local minimum); the lower point has F &lt; F(0) exactly.
///   relu: at the dead point every layer-1 pre-activation is &lt; 0 (exact), so f ≡ 0 near it (no biases) and F ≡ ½‖Y‖²
///     there; the lower point has F &lt; ½‖Y‖² (values only: relu is continuous).
/// </summary>
public static class DeepLinearCertificates
{
    [ChecksClaim("golikov.linear")]
    public static string Linear(Certificate c)
    {
        var s = Require(c, relu: false);
        if (s.Depth < 2 || !s.WeightDecay.IsZero) throw new Reject("out of the claim's hypotheses: H < 2 or a penalty");
        var g = LinearChains.Correlation(s);
        string kind = Certificate.Text(c.Facts, "kind");
        switch (kind, c.Locus == "origin:0")
        {
            case ("zero-correlation", true):
                bool zero = g.Cast<Rational>().All(v => v.IsZero);
                c.Conclude(zero, zero ? "YXᵀ = 0" : "YXᵀ ≠ 0");
                return "YXᵀ = 0, so F(θ) = ½‖Y‖² + ½‖R(θ)X‖² ≥ F(0): the origin is a global minimum";
            case ("path-descent", true):
                var d = Certificate.Point(Certificate.Object(c.Facts, "direction"), s.Layout);
                var eps = Certificate.Number(c.Facts["epsilon"], "epsilon");
                var r = LinearChains.Product(LinearChains.Weights(s, d), 1, s.Depth);
                var rx = Matrices.Multiply(r, LinearChains.Columns(s.X));
                Rational a = 0, b = 0;
                for (int i = 0; i < g.GetLength(0); i++) for (int j = 0; j < g.GetLength(1); j++) a += g[i, j] * r[i, j];
                foreach (var v in rx) b += v * v;
                bool descends = eps.Sign > 0 && a.Sign > 0 && Rational.Pow(eps, s.Depth) * b < 2 * a
                    && Loss.Evaluate(s, d.Select(v => v * eps).ToArray()) < LinearChains.HalfSquaredTargets(s);
                if (!descends) throw new Reject($"the path does not descend: a = ⟨YXᵀ, R(d)⟩ = {a}, b = {b}, ε = {eps}");
                c.Conclude(true, "the origin is not a local minimum");
                return $"F(ε'd) = F(0) − ε'^{s.Depth}·{a} + ½ε'^{2 * s.Depth}·{b} < F(0) for 0 < ε' ≤ {eps}: the critical origin is not a local minimum (order {s.Depth})";
            case ("trained", false) when c.Locus.StartsWith("trained:", StringComparison.Ordinal):
                var theta = Certificate.Point(Certificate.Object(c.Facts, "point"), s.Layout);
                var loss = Loss.Evaluate(s, theta);
                var (lo, hi, _, _) = LinearChains.DeepLinearMinimum(s);
                if (loss < lo) { c.Conclude(false, $"F = {loss.ToDouble():G17} < the formula's minimum ≥ {lo.ToDouble():G17}"); return "a point below the formula's minimum"; }
                var tolerance = Rational.Create(1, 1_000_000) * (1 + LinearChains.HalfSquaredTargets(s));
                if (loss - lo > tolerance) throw new Reject($"F at the point exceeds the formula's minimum by {(loss - lo).ToDouble():G3} > {tolerance.ToDouble():G3}: nothing certified");
                c.Conclude(true, "F within the tolerance of the minimum");
                return $"F = {loss.ToDouble():G12} at the point, the formula's minimum in [{lo.ToDouble():G12}, {hi.ToDouble():G12}] (recomputed): global to within {(loss - lo).ToDouble():G3}";
            default:
                throw new Reject($"facts of kind '{kind}' do not fit the locus '{c.Locus}'");
        }
    }

    [ChecksClaim("golikov.linear-ridge")]
    public static string Ridge(Certificate c)
    {
        var s = Require(c, relu: false);
        if (s.Depth < 3 || s.WeightDecay.Sign <= 0 || c.Locus != "origin:0") throw new Reject("out of the claim's hypotheses: H ≥ 3, λ > 0 and the origin");
        var lower = Certificate.Point(Certificate.Object(c.Facts, "lowerPoint"), s.Layout);
        var loss = Loss.Evaluate(s, lower);
        c.Conclude(loss >= LinearChains.HalfSquaredTargets(s), $"F = {loss} at the lower point, F(0) = {LinearChains.HalfSquaredTargets(s)}");
        return $"H = {s.Depth} ≥ 3 and λ > 0: ∇F(0) = 0 and ∇²F(0) = λI, a strict local minimum with F(0) = {LinearChains.HalfSquaredTargets(s)}; F = {loss} at the lower point: not global";
    }

    [ChecksClaim("golikov.linear-relu")]
    public static string Relu(Certificate c)
    {
        var s = Require(c, relu: true);
        if (!c.Locus.StartsWith("random:", StringComparison.Ordinal)) throw new Reject($"the locus '{c.Locus}' is not random:SEED");
        var dead = Certificate.Point(Certificate.Object(c.Facts, "deadPoint"), s.Layout);
        DeadUnits.Require(s, dead, 1, 1);
        var lower = Loss.Evaluate(s, Certificate.Point(Certificate.Object(c.Facts, "lowerPoint"), s.Layout));
        c.Conclude(lower >= LinearChains.HalfSquaredTargets(s), $"F = {lower} at the lower point, ½‖Y‖² = {LinearChains.HalfSquaredTargets(s)}");
        return $"layer 1 dead on every sample (exact), so F ≡ ½‖Y‖² = {LinearChains.HalfSquaredTargets(s)} near the point: a local minimum; F = {lower} at the lower point: not global";
    }

    private static NetworkSpec Require(Certificate c, bool relu)
    {
        var s = c.Spec;
        if (s.Bias) throw new Reject("out of the claim's hypotheses: the network has biases");
        if (s.HiddenActivations.Any(a => relu ? !a.IsRelu : a is not IdentityActivation) || s.OutputActivation is not IdentityActivation)
            throw new Reject($"out of the claim's hypotheses: the hidden layers are not all {(relu ? "relu" : "identity")}, or the output is not affine");
        if (s.Loss != LossKind.HalfSse) throw new Reject("out of the claim's hypotheses: the loss is not ½‖·‖²");
        if (ExactLinearAlgebra.Rank(LinearChains.Columns(s.X)) < s.InputWidth) throw new Reject("out of the claim's hypotheses: X does not have full row rank");
        if (relu && (!s.WeightDecay.IsZero || LinearChains.Correlation(s).Cast<Rational>().All(v => v.IsZero))) throw new Reject("out of the claim's hypotheses: a penalty, or YXᵀ = 0");
        if (!relu && s.WeightDecay.Sign > 0 && LinearChains.Correlation(s).Cast<Rational>().All(v => v.IsZero)) throw new Reject("out of the claim's hypotheses: YXᵀ = 0");
        return s;
    }
}
