using System.Text.Json.Nodes;
using VerifyLandscape.Exact;
using VerifyLandscape.Symbolic;

namespace VerifyLandscape.Checker.Cooper;

/// <summary>
/// cooper.3.1 and cooper.3.2 (with their variants) on a locus. A proof is the gradient (and Hessian) recomputed at the
/// generic point, where the ring's zero is a proof of zero on the whole locus. A refutation is a rational point of the
/// locus where a gradient entry, or a Hessian entry minus its stated value, is enclosed away from 0 (atoms enclosed
/// rigorously), or the exact Hessian of the generic point when it is rational there.
/// </summary>
public static class LocusCertificates
{
    /// <summary>cooper.3.1 (σ(0) = 0 required) and cooper.3.1-without-sigma0: every point of S_j is critical.</summary>
    [ChecksClaim("cooper.3.1")] public static string StarIsCritical(Certificate c) => StarIsCritical(c, sigmaZero: true);
    [ChecksClaim("cooper.3.1-without-sigma0")] public static string StarIsCriticalAnySigma(Certificate c) => StarIsCritical(c, sigmaZero: false);
    [ChecksClaim("cooper.3.2")] public static string CoreHessian(Certificate c) => CoreHessian(c, sigmaZero: true, literal: false);
    [ChecksClaim("cooper.3.2-without-sigma0")] public static string CoreHessianAnySigma(Certificate c) => CoreHessian(c, sigmaZero: false, literal: false);
    [ChecksClaim("cooper.3.2-literal")] public static string CoreInertiaLiteral(Certificate c) => CoreHessian(c, sigmaZero: true, literal: true);

    private static string StarIsCritical(Certificate c, bool sigmaZero)
    {
        CooperSetting.Require(c.Spec, sigmaZero);
        var fixedValues = CooperSetting.Locus(c.Spec, CooperSetting.LocusIndices(c, 1));
        CooperSetting.RequireStatedLocus(c, fixedValues);
        if (!c.Certified) return NonCriticalPoint(c, fixedValues);
        var layout = c.Spec.Layout;
        var generic = CooperSetting.GenericPoint(c.Spec, fixedValues);
        if (ForwardMode.NonZeroGradientEntry(c.Spec, generic) is var (p, g))
            throw new Reject($"∂L/∂{layout.Name(p)} = {g} is not zero at the generic point");
        return $"gradient recomputed (forward mode) and zero on all of the locus ({layout.Count - fixedValues.Count} free parameters)";
    }

    /// <summary>
    /// cooper.3.2 (Hessian 2N·I_m on b_ℓ and 0 elsewhere), cooper.3.2-without-sigma0 (the same without σ(0) = 0) and
    /// cooper.3.2-literal (exactly one positive eigenvalue), each at every point of C_{i,j}.
    /// </summary>
    private static string CoreHessian(Certificate c, bool sigmaZero, bool literal)
    {
        CooperSetting.Require(c.Spec, sigmaZero);
        var spec = c.Spec;
        var layout = spec.Layout;
        int n = layout.Count, m = spec.OutputWidth;
        var fixedValues = CooperSetting.Locus(spec, CooperSetting.LocusIndices(c, 2));
        CooperSetting.RequireStatedLocus(c, fixedValues);
        var bLast = Enumerable.Range(0, m).Select(o => layout.BiasIndex(spec.Depth, o)).ToHashSet();
        Rational Expected(int p, int q) => p == q && bLast.Contains(p) ? 2 * spec.SampleCount : 0;
        if (!c.Certified && c.Facts["nonCriticalPoint"] is not null) return NonCriticalPoint(c, fixedValues);
        if (!c.Certified && c.Facts["violatedEntry"] is JsonObject violated)
        {
            if (literal) throw new Reject("cooper.3.2-literal speaks about the inertia: a single Hessian entry does not refute it");
            var point = CooperSetting.PointOnLocus(spec, Certificate.Object(violated, "point"), fixedValues);
            var (p, q) = HessianFacts.EntryIndices(layout, Certificate.Text(violated, "entry"));
            var value = ForwardMode.Derivative(spec, point.Select(x => (Sym)x).ToArray(), p, q) - Expected(p, q);
            var enclosure = value.Enclose(_ => null);
            if (enclosure.ContainsZero) throw new Reject($"H[{layout.Name(p)}, {layout.Name(q)}] − {Expected(p, q)} encloses to {enclosure} at the point, which does not exclude 0");
            return $"H[{layout.Name(p)}, {layout.Name(q)}] − {Expected(p, q)} ∈ {enclosure} ≠ 0 at a point of the locus (recomputed in forward mode)";
        }
        var generic = CooperSetting.GenericPoint(spec, fixedValues);
        if (ForwardMode.NonZeroGradientEntry(spec, generic) is var (p0, g0))
            throw new Reject($"∂L/∂{layout.Name(p0)} = {g0} is not zero at the generic point");
        var (h, inertia) = HessianFacts.Check(spec, generic, c.Facts);
        if (literal)
        {
            c.Conclude(inertia == new Inertia(1, 0, n - 1), $"inertia {inertia}, the claim says (1, 0, {n - 1})");
            return $"gradient and all {n * (n + 1) / 2} Hessian entries recomputed (forward mode), LDLᵀ multiplied back, inertia {inertia}";
        }
        (int P, int Q)? differs = null;
        for (int p = 0; p < n && differs is null; p++)
            for (int q = 0; q < n && differs is null; q++)
                if (h[p, q] != Expected(p, q)) differs = (p, q);
        string because = differs is not var (dp, dq) ? $"every entry equals 2N·I_{m} on b_ℓ and 0 elsewhere (inertia {inertia})"
            : $"H[{layout.Name(dp)}, {layout.Name(dq)}] = {h[dp, dq]}, the claim says {Expected(dp, dq)}";
        c.Conclude(differs is null, because);
        return $"gradient and all {n * (n + 1) / 2} Hessian entries recomputed (forward mode) on the whole locus, LDLᵀ multiplied back: {because}";
    }

    /// <summary>A refutation of "critical": a rational point of the locus where ∂L/∂θ_p is enclosed away from 0.</summary>
    private static string NonCriticalPoint(Certificate c, Dictionary<int, Rational> fixedValues)
    {
        var layout = c.Spec.Layout;
        var evidence = Certificate.Object(c.Facts, "nonCriticalPoint");
        var point = CooperSetting.PointOnLocus(c.Spec, Certificate.Object(evidence, "point"), fixedValues);
        string name = Certificate.Text(evidence, "parameter");
        if (!layout.TryIndexOf(name, out int which)) throw new Reject($"unknown parameter '{name}' in the counterexample");
        var enclosure = ForwardMode.Derivative(c.Spec, point.Select(q => (Sym)q).ToArray(), which, null).Enclose(_ => null);
        if (enclosure.ContainsZero) throw new Reject($"∂L/∂{name} at the point encloses to {enclosure}, which does not exclude 0");
        return $"∂L/∂{name} ∈ {enclosure} at a point of the locus: not critical";
    }
}
