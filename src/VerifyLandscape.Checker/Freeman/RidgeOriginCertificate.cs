using VerifyLandscape.Exact;
using VerifyLandscape.Symbolic;

namespace VerifyLandscape.Checker.Freeman;

/// <summary>
/// freeman.ridge-deep: at θ = 0 of a linear network with K ≥ 3 and ridge κ &gt; 0, every gradient entry recomputes to 0
/// and every Hessian entry to the stated one (the checker's forward mode), the stated LDLᵀ multiplies back to it, and
/// its inertia says positive definite: a strict local minimum. An optional "lowerPoint" must have F below F(0)
/// (recomputed); it shows the minimum is spurious.
/// </summary>
public static class RidgeOriginCertificate
{
    [ChecksClaim("freeman.ridge-deep")]
    public static string Check(Certificate c)
    {
        var s = c.Spec;
        LinearNetworks.RequireSetting(c, "origin");
        if (s.Depth < 3) throw new Reject($"out of the claim's hypotheses: K = {s.Depth} (the claim has K ≥ 3)");
        if (s.WeightDecay.Sign <= 0) throw new Reject("out of the claim's hypotheses: κ = 0 (the claim has ridge κ > 0)");
        var point = Certificate.Point(Certificate.Object(c.Facts, "point"), s.Layout);
        if (point.Any(v => !v.IsZero)) throw new Reject("the point is not θ = 0");
        var origin = point.Select(v => (Sym)v).ToArray();
        for (int p = 0; p < origin.Length; p++)
            if (ForwardMode.Derivative(s, origin, p, null) is { IsZero: false } g)
                throw new Reject($"∂F/∂{s.Layout.Name(p)} recomputes to {g} at 0, not 0");
        var (_, inertia) = HessianFacts.Check(s, origin, c.Facts);
        bool definite = inertia.Negative == 0 && inertia.Zero == 0;
        c.Conclude(definite, $"inertia {inertia} at θ = 0");
        string spurious = "";
        if (c.Facts["lowerPoint"] is System.Text.Json.Nodes.JsonObject lowerNode)
        {
            Rational atOrigin = LinearNetworks.Loss(s, point), lower = LinearNetworks.Loss(s, Certificate.Point(lowerNode, s.Layout));
            if (lower >= atOrigin) throw new Reject($"lowerPoint has F = {lower}, not below F(0) = {atOrigin}");
            spurious = $"; spurious: F = {lower} < F(0) = {atOrigin} at lowerPoint (recomputed)";
        }
        return $"∇F(0) = 0 and all Hessian entries recomputed (forward mode), LDLᵀ multiplied back, inertia {inertia}: a strict local minimum{spurious}";
    }
}
