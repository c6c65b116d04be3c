using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Symbolic;

namespace VerifyLandscape.Checker.Golikov;

/// <summary>
/// du.gram, du.psd and du.psd-any-layers at a point W (facts: the point). The checker's own derivatives (forward mode
/// over the exact ring): J_iq = ∂u_i/∂θ_q and ∂²L/∂θ_p∂θ_q, one pass each; H from its formula. It verifies
///   du.gram: JJᵀ = H (then du/dt = −J∇L = −JJᵀ(u − y) = H(y − u) follows, ∇L = Jᵀ(u − y) for half-sse);
///   du.psd: ∇²L = JᵀJ, no negative eigenvalue (exact LDLᵀ inertia), rank ≤ n, tr(∇²L^k) = tr(H^k) for k ≤ n;
///   du.psd-any-layers: the inertia's negative count agrees with the verdict (refuted: &gt; 0).
/// A relu pre-activation exactly 0 is a kink; the forward pass rejects the point then.
/// </summary>
public static class DuPointCertificates
{
    [ChecksClaim("du.gram", Wiring = Wiring.General, OutputScale = true)]
    public static string Gram(Certificate c)
    {
        var (s, theta, j, h) = Read(c);
        bool holds = Matrices.AreEqual(Matrices.Multiply(j, Matrices.Transpose(j)), h);
        c.Conclude(holds, holds ? "JJᵀ = H" : "JJᵀ ≠ H");
        return $"JJᵀ = H exactly (J by forward mode, {s.SampleCount}×{s.ParameterCount}; H by its formula), so du/dt = H(y − u) under gradient flow";
    }

    [ChecksClaim("du.psd", Wiring = Wiring.General, OutputScale = true)]
    public static string Psd(Certificate c)
    {
        var (s, theta, j, h) = Read(c);
        var hessian = Hessian(s, theta);
        var inertia = ExactLinearAlgebra.InertiaOf(hessian);
        int n = s.SampleCount;
        var failures = new List<string>();
        if (!Matrices.AreEqual(hessian, Matrices.Multiply(Matrices.Transpose(j), j))) failures.Add("∇²L ≠ JᵀJ");
        if (inertia.Negative > 0) failures.Add($"{inertia.Negative} negative eigenvalue(s)");
        if (inertia.Positive > n) failures.Add($"rank {inertia.Positive} > n");
        if (!Matrices.PowerTraces(hessian, n).SequenceEqual(Matrices.PowerTraces(h, n))) failures.Add("tr(∇²L^k) ≠ tr(H^k)");
        c.Conclude(failures.Count == 0, failures.Count == 0 ? "∇²L = JᵀJ ⪰ 0 with rank ≤ n and H's non-zero spectrum" : string.Join("; ", failures));
        return $"∇²L = JᵀJ (forward mode), inertia ({inertia.Positive}, 0, {inertia.Zero}), rank ≤ n = {n}, tr(∇²L^k) = tr(H^k) for k ≤ n: recomputed";
    }

    [ChecksClaim("du.psd-any-layers", Wiring = Wiring.Plain, OutputScale = true)]
    public static string AnyLayers(Certificate c)
    {
        var s = c.Spec;
        DuNetwork.RequireLocus(c, "point");
        if (s.Depth < 2 || s.HiddenActivations.Any(a => !a.IsRelu) || s.OutputActivation is not IdentityActivation || s.Bias
            || s.Loss != LossKind.HalfSse || !s.WeightDecay.IsZero || s.OutputWidth != 1)
            throw new Reject("out of the claim's hypotheses: not a bias-free relu network with a scalar output and loss ½Σ(f − y)²");
        var theta = Certificate.Point(Certificate.Object(c.Facts, "point"), s.Layout);
        var inertia = ExactLinearAlgebra.InertiaOf(Hessian(s, theta));
        c.Conclude(inertia.Negative == 0, $"the Hessian's inertia is ({inertia.Positive}, {inertia.Negative}, {inertia.Zero})");
        return $"∇²L at the point by forward mode, inertia ({inertia.Positive}, {inertia.Negative}, {inertia.Zero}) (exact LDLᵀ)";
    }

    private static (NetworkSpec S, Rational[] Theta, Rational[,] J, Rational[,] H) Read(Certificate c)
    {
        var s = c.Spec;
        DuNetwork.Require(s);
        DuNetwork.RequireLocus(c, "point");
        var theta = Certificate.Point(Certificate.Object(c.Facts, "point"), s.Layout);
        var sym = theta.Select(q => (Sym)q).ToArray();
        int n = s.SampleCount, p = s.ParameterCount, m = s.Widths[1], d = s.InputWidth;
        var j = new Rational[n, p];
        for (int q = 0; q < p; q++)
        {
            var outputs = Forward(() => ForwardMode.Outputs(s, sym, q, null, out _));
            for (int i = 0; i < n; i++) j[i, q] = outputs[i][0].A.Constant;
        }
        // H_ab = (1/m) x_aᵀx_b #{r : w_rᵀx_a > 0 and w_rᵀx_b > 0}; w_r = W1[r, ·] = θ[r·d .. r·d + d − 1] (W1 first, row-major).
        var h = new Rational[n, n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                int both = Enumerable.Range(0, m).Count(r => Matrices.Dot(theta[(r * d)..(r * d + d)], s.X[a]).Sign > 0 && Matrices.Dot(theta[(r * d)..(r * d + d)], s.X[b]).Sign > 0);
                h[a, b] = Matrices.Dot(s.X[a], s.X[b]) * both / m;
            }
        return (s, theta, j, h);
    }

    private static Rational[,] Hessian(NetworkSpec s, Rational[] theta)
    {
        var sym = theta.Select(q => (Sym)q).ToArray();
        int p = theta.Length;
        var hessian = new Rational[p, p];
        for (int a = 0; a < p; a++)
            for (int b = a; b < p; b++)
                hessian[a, b] = hessian[b, a] = Forward(() => ForwardMode.Derivative(s, sym, a, b)).Constant;
        return hessian;
    }

    private static T Forward<T>(Func<T> pass)
    {
        try { return pass(); }
        catch (Scalars.NonSmoothPointException e) { throw new Reject("out of the claim's hypotheses: the point is a kink (" + e.Message + ")"); }
    }
}
