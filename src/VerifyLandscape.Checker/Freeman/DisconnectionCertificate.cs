using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Freeman;

/// <summary>
/// freeman.2.2-printed and freeman.2.2-ridge, refuted by a disconnection of Ω(λ). Facts: the level λ, points θ^A and
/// θ^B, a separator g = det P (P = W_K⋯W_{j+1}, "upper", or W_j⋯W_1, "lower", of size r × r, r = min(n_in, n_out)), a fit
/// T and rationals a, b. The checker verifies, in exact arithmetic of its own:
///   the hypotheses of the claim as printed (hidden widths ≥ r; κ = 0, or K = 2 and κ &gt; 0);
///   F(θ^A) ≤ λ and F(θ^B) ≤ λ; g(θ^A)·g(θ^B) &lt; 0;
///   X (Y − T X)ᵀ = 0 (T is a least-squares fit, so ‖Y − M X‖² = ‖E‖² + ‖(T − M) X‖² for every M);
///   a ≥ 0, b ≥ 0, X Xᵀ − a I ⪰ 0 and G − b I ⪰ 0 with G = T Tᵀ (upper) or TᵀT (lower), by exact LDLᵀ;
///   L·λ &lt; ‖E‖² + a·b.
/// Then g = 0 ⇒ rank M &lt; r ⇒ ‖Y − M X‖² ≥ ‖E‖² + ab &gt; L·λ ≥ L·F's data term, so g never vanishes on Ω(λ) and takes
/// both signs there: Ω(λ) is not connected, which refutes the claim.
/// </summary>
public static class DisconnectionCertificate
{
    [ChecksClaim("freeman.2.2-printed")] public static string Printed(Certificate c) => Check(c, ridge: false);
    [ChecksClaim("freeman.2.2-ridge")] public static string Ridge(Certificate c) => Check(c, ridge: true);

    private static string Check(Certificate c, bool ridge)
    {
        var s = c.Spec;
        LinearNetworks.RequireSetting(c, "pair");
        int r = Math.Min(s.InputWidth, s.OutputWidth), L = s.SampleCount;
        for (int k = 1; k < s.Depth; k++)
            if (s.Widths[k] < r) throw new Reject($"out of the claim's hypotheses: hidden width n_{k} = {s.Widths[k]} < min(n_in, n_out) = {r}");
        if (ridge && (s.Depth != 2 || s.WeightDecay.Sign <= 0)) throw new Reject("out of the claim's hypotheses: the ridge claim is for K = 2 and κ > 0");
        if (!ridge && !s.WeightDecay.IsZero) throw new Reject("out of the claim's hypotheses: the claim as printed has κ = 0 here (the ridge case is freeman.2.2-ridge)");
        if (c.Certified) throw new Reject("a disconnection refutes the claim; the verdict must be 'refuted'");

        var level = Certificate.Number(c.Facts["level"], "level");
        var sep = Certificate.Object(c.Facts, "separator");
        if (Certificate.Text(sep, "kind") != "det") throw new Reject("separator.kind must be 'det'");
        var side = Certificate.Text(sep, "side");
        int layer = Certificate.Integer(sep["layer"], "separator.layer");
        if (layer < 1 || layer >= s.Depth) throw new Reject($"separator.layer {layer} is not a hidden layer");
        bool upper = side switch { "upper" => true, "lower" => false, _ => throw new Reject($"separator.side '{side}' is not upper or lower") };
        if (s.Widths[layer] != (upper ? s.OutputWidth : s.InputWidth) || s.Widths[layer] != r)
            throw new Reject($"hidden layer {layer} has width {s.Widths[layer]}; the {side} product is not {r} × {r} with r = min(n_in, n_out)");

        var a = Certificate.Point(Certificate.Object(c.Facts, "pointA"), s.Layout);
        var b = Certificate.Point(Certificate.Object(c.Facts, "pointB"), s.Layout);
        Rational fa = LinearNetworks.Loss(s, a), fb = LinearNetworks.Loss(s, b);
        if (fa > level || fb > level) throw new Reject($"a point is not in Ω({level}): F(θ^A) = {fa}, F(θ^B) = {fb}");
        Rational G(Rational[] theta)
        {
            var w = LinearChains.Weights(s, theta);
            return ExactLinearAlgebra.Determinant(upper ? LinearChains.Product(w, layer + 1, s.Depth) : LinearChains.Product(w, 1, layer));
        }
        Rational ga = G(a), gb = G(b);
        if ((ga * gb).Sign >= 0) throw new Reject($"the separator does not change sign: {ga} at θ^A, {gb} at θ^B");

        var x = LinearChains.Columns(s.X);
        var fit = LinearNetworks.Matrix(c.Facts["fit"], "fit", s.OutputWidth, s.InputWidth);
        var residual = Matrices.Add(LinearChains.Columns(s.Y), Matrices.Multiply(fit, x), -1);
        var cross = Matrices.Multiply(x, Matrices.Transpose(residual));
        foreach (var v in cross) if (!v.IsZero) throw new Reject("X (Y − T X)ᵀ ≠ 0: the fit is not the least-squares one");
        var inputBound = Certificate.Number(c.Facts["inputEigenvalueBound"], "inputEigenvalueBound");
        var fitBound = Certificate.Number(c.Facts["fitEigenvalueBound"], "fitEigenvalueBound");
        if (inputBound.Sign < 0 || fitBound.Sign < 0) throw new Reject("the eigenvalue bounds must not be negative");
        if (!Matrices.IsPositiveSemidefinite(Matrices.Shift(Matrices.Multiply(x, Matrices.Transpose(x)), inputBound)))
            throw new Reject($"λ_min(X Xᵀ) < {inputBound}");
        var fitGram = upper ? Matrices.Multiply(fit, Matrices.Transpose(fit)) : Matrices.Multiply(Matrices.Transpose(fit), fit);
        if (!Matrices.IsPositiveSemidefinite(Matrices.Shift(fitGram, fitBound))) throw new Reject($"λ_min of the fit's Gram matrix < {fitBound}");
        var bound = Matrices.FrobeniusSquared(residual) + inputBound * fitBound;
        if (L * level >= bound) throw new Reject($"L·λ = {L * level} is not below ‖E‖² + ab = {bound}: rank r is not forced on Ω(λ)");
        return $"Ω({level}) is disconnected (recomputed): det P ≠ 0 wherever F ≤ {level} (L·λ < ‖E‖² + ab = {bound}), det P = {ga} at θ^A and {gb} at θ^B";
    }
}
