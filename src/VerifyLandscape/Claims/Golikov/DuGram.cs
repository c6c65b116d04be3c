using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims.Golikov;

/// <summary>
/// What du.gram and du.psd compute at a point W (seeded, "point:SEED"): u = f(W, a, x_i), J = ∂u/∂W (row i is the
/// engine's gradient of ½(u_i − y)² with the target y = u_i − 1, so the residual is 1), the engine's ∇L and ∇²L, and
/// H from its formula H_ij = (1/m) x_iᵀx_j Σ_r 1{w_rᵀx_i &gt; 0, w_rᵀx_j &gt; 0}. A tie w_rᵀx_i = 0 is a kink: the engine
/// reports the point as not smooth (out of hypotheses).
/// </summary>
public sealed record DuPoint(Rational[] Theta, Rational[] U, Rational[,] J, Rational[] Gradient, Rational[,] H)
{
    public const string Kind = "point";

    public static DuPoint At(NetworkSpec s, int seed)
    {
        var theta = SeededRationals.Draw(s.ParameterCount, seed);
        var engine = new NetworkDerivatives<Rational>(s, theta);
        int n = s.SampleCount, p = s.ParameterCount, m = s.Widths[1], d = s.InputWidth;
        var u = engine.Outputs.Select(o => o[0]).ToArray();
        var j = new Rational[n, p];
        for (int i = 0; i < n; i++)
        {
            var row = new NetworkDerivatives<Rational>(s.With(x: [s.X[i]], y: [[u[i] - 1]]), theta).Gradient;
            for (int q = 0; q < p; q++) j[i, q] = row[q];
        }
        var h = new Rational[n, n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                int both = 0;
                for (int r = 0; r < m; r++)
                {
                    Rational za = 0, zb = 0;
                    for (int k = 0; k < d; k++) { za += theta[r * d + k] * s.X[a][k]; zb += theta[r * d + k] * s.X[b][k]; }
                    if (za.Sign > 0 && zb.Sign > 0) both++;
                }
                h[a, b] = Matrices.Dot(s.X[a], s.X[b]) * both / m;
            }
        return new DuPoint(theta, u, j, engine.Gradient, h);
    }

    public static Gen<ClaimInstance> Instances(string id) =>
        from s in DuSetting.Specs(DuSetting.Inputs(parallel: true).Where(x => x[0].Length >= 2 || x.Length <= 2))
        from seed in Gen.Choose(1, 100_000)
        select new ClaimInstance(id, s, [seed], Construction: Kind);
}

/// <summary>What du.gram and du.psd share: Du et al.'s setting, a seeded point, generated Du networks.</summary>
public abstract class DuPointClaim : Claim
{
    public override IReadOnlyList<Hypothesis> Hypotheses => [.. DuSetting.Network, Hypothesis.AtThePoint("no tie w_rᵀx_i = 0 (L twice differentiable at W; a tie is a kink)")];
    public override IReadOnlyList<string> LocusKinds => [DuPoint.Kind];
    public override Wiring Accepts => Wiring.General;
    public override bool AcceptsOutputScale => true;
    public override Gen<ClaimInstance> Generator => DuPoint.Instances(Id);
    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance c) => DuSetting.Shrink(c.Spec).Select(s => c with { Spec = s });
}

/// <summary>
/// G-du-H (Du et al. eq. 12, essay §2.2): wherever L is differentiable, H(t) = JJᵀ with H's formula, and along the
/// gradient flow du/dt = −J∇_W L = H(y − u). Both identities are checked exactly at the point, J and ∇L from the
/// engine, H from its formula.
/// </summary>
public sealed class DuGramIdentity : DuPointClaim
{
    public override string Id => "du.gram";
    public override string Source => "Golikov (003), §2.2: Du, Zhai, Póczos, Singh (2019), eq. (12)";
    public override string Statement => "H_ij = (1/m) x_iᵀx_j Σ_r 1{w_rᵀx_i ≥ 0, w_rᵀx_j ≥ 0} equals JJᵀ (J = ∂u/∂W), and du/dt = H(y − u) under gradient flow";

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        var at = DuPoint.At(s, c.Seed);
        var jjt = Matrices.Multiply(at.J, Matrices.Transpose(at.J));
        int n = s.SampleCount;
        // du/dt = J dW/dt = −J∇L; H(y − u).
        var flow = Enumerable.Range(0, n).Select(i => -Enumerable.Range(0, s.ParameterCount).Aggregate(Rational.Zero, (acc, q) => acc + at.J[i, q] * at.Gradient[q])).ToArray();
        var predicted = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Aggregate(Rational.Zero, (acc, k) => acc + at.H[i, k] * (s.Y[k][0] - at.U[k]))).ToArray();
        var evidence = new JsonObject { ["H"] = Evidence.Matrix(at.H), ["JJt"] = Evidence.Matrix(jjt) };
        bool gram = Matrices.AreEqual(jjt, at.H), ode = flow.SequenceEqual(predicted);
        return gram && ode
            ? Verdict.Certified($"JJᵀ = H (the formula) and −J∇L = H(y − u), exactly, at W = seeded point {c.Seed}", evidence, new DuPointFacts(s.Layout, at.Theta))
            : Verdict.Refuted($"{(gram ? "" : "JJᵀ ≠ H ")}{(ode ? "" : "−J∇L ≠ H(y − u)")} at the seeded point {c.Seed}", evidence, new DuPointFacts(s.Layout, at.Theta));
    }

}

/// <summary>
/// G-psd (essay §2.2, notes §3.3): with a frozen, ∇²_W L = JᵀJ wherever L is twice differentiable (f is linear in W
/// once the switches are fixed), so it is PSD of rank ≤ n, and its non-zero spectrum is H's: tr((JᵀJ)^k) = tr(H^k) for
/// k = 1..n, which with rank ≤ n on both sides fixes the non-zero eigenvalues (Newton's identities). All exact.
/// </summary>
public sealed class DuHessianIsGram : DuPointClaim
{
    public override string Id => "du.psd";
    public override string Source => "Golikov (003), §2.2 (the Hessian of Du et al.'s loss)";
    public override string Statement => "a frozen: ∇²_W L = JᵀJ ⪰ 0 wherever L is twice differentiable, rank ≤ n, non-zero spectrum equal to H's";

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        var at = DuPoint.At(s, c.Seed);
        var hessian = new NetworkDerivatives<Rational>(s, at.Theta).Hessian();
        var jtj = Matrices.Multiply(Matrices.Transpose(at.J), at.J);
        var inertia = ExactLinearAlgebra.InertiaOf(hessian);
        int n = s.SampleCount;
        var traces = Matrices.PowerTraces(hessian, n);
        var gramTraces = Matrices.PowerTraces(at.H, n);
        var evidence = new JsonObject
        {
            ["inertia"] = $"({inertia.Positive}, {inertia.Negative}, {inertia.Zero})",
            ["powerTraces"] = new JsonArray(traces.Select(t => (JsonNode?)t.ToString()).ToArray()),
        };
        var failures = new List<string>();
        if (!Matrices.AreEqual(hessian, jtj)) failures.Add("∇²L ≠ JᵀJ");
        if (inertia.Negative > 0) failures.Add($"∇²L has {inertia.Negative} negative eigenvalue(s)");
        if (inertia.Positive > n) failures.Add($"rank ∇²L = {inertia.Positive} > n = {n}");
        if (!traces.SequenceEqual(gramTraces)) failures.Add("tr(∇²L^k) ≠ tr(H^k) for some k ≤ n");
        var facts = new DuPointFacts(s.Layout, at.Theta);
        return failures.Count == 0
            ? Verdict.Certified($"∇²L = JᵀJ exactly, inertia ({inertia.Positive}, 0, {inertia.Zero}) with rank ≤ n = {n}, and tr(∇²L^k) = tr(H^k) for k ≤ n (same non-zero spectrum)", evidence, facts)
            : Verdict.Refuted(string.Join("; ", failures) + $" at the seeded point {c.Seed}", evidence, facts);
    }


}

/// <summary>
/// G-psd with its hypothesis dropped (known false, notes §3.3): "the Hessian of ½Σ(f − y)² is PSD wherever it exists"
/// for relu networks whose every layer is trained (a trained too, or a deeper network). Then f is no longer linear in
/// the parameters, the residual term Σ_i (u_i − y_i)∇²u_i enters, and the Hessian is indefinite at many points:
/// decided exactly by the inertia of the engine's Hessian at a seeded point.
/// </summary>
public sealed class DuHessianAnyLayers : Claim
{
    public override string Id => "du.psd-any-layers";
    public override string Source => "Golikov (003), §2.2, with 'a frozen' dropped (notes §3.3, G-psd counterexamples)";
    public override string Statement => "relu networks without biases, every layer trained, loss ½Σ(f − y)²: ∇²L ⪰ 0 wherever L is twice differentiable";
    public override Expectation Expected => Expectation.KnownFalse;
    public override IReadOnlyList<Hypothesis> Hypotheses =>
    [
        Hypothesis.OnSpec("relu hidden layers, identity output, no biases, nothing tied", s =>
            s.Depth < 2 || s.HiddenActivations.Any(a => !a.IsRelu) || s.OutputActivation is not IdentityActivation || s.Bias || s.IsTied
                ? $"not a bias-free relu network with every parameter trained ({s.Describe()})" : null),
        DuSetting.HalfSse, SettingHypotheses.NoWeightDecay, SettingHypotheses.ScalarOutput,
        Hypothesis.AtThePoint("no pre-activation exactly 0 (L twice differentiable)"),
    ];
    public override IReadOnlyList<string> LocusKinds => [DuPoint.Kind];
    public override bool AcceptsOutputScale => true;

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        var theta = SeededRationals.Draw(s.ParameterCount, c.Seed);
        var hessian = new NetworkDerivatives<Rational>(s, theta).Hessian();
        var inertia = ExactLinearAlgebra.InertiaOf(hessian);
        var evidence = new JsonObject { ["inertia"] = $"({inertia.Positive}, {inertia.Negative}, {inertia.Zero})" };
        var facts = new DuPointFacts(s.Layout, theta);
        return inertia.Negative == 0
            ? Verdict.Certified($"∇²L ⪰ 0 at the seeded point {c.Seed} (inertia ({inertia.Positive}, 0, {inertia.Zero}), exact)", evidence, facts)
            : Verdict.Refuted($"∇²L has {inertia.Negative} negative eigenvalue(s) at the seeded point {c.Seed} (exact LDLᵀ inertia " +
                $"({inertia.Positive}, {inertia.Negative}, {inertia.Zero})): the residual term Σ(u_i − y_i)∇²u_i is not 0 when every layer is trained", evidence, facts);
    }

    /// <summary>Two-layer [d, m, 1] with a trained, or three-layer [d, m, m', 1]; relu, no biases, small rational data.</summary>
    public override Gen<ClaimInstance> Generator =>
        from d in Gen.Choose(1, 2)
        from widths in Gen.Elements<int[]>([d, 1, 1], [d, 2, 1], [d, 1, 1, 1], [d, 2, 2, 1])
        from n in Gen.Choose(1, 3)
        from x in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(-3, 3).Select(v => (Rational)v), d), n)
        from y in Gen.ArrayOf(Gen.Choose(-3, 3).Select(v => (Rational)v), n)
        from seed in Gen.Choose(1, 100_000)
        select new ClaimInstance(Id, new NetworkSpec
        {
            Widths = widths, HiddenActivations = Enumerable.Repeat(Activation.Relu, widths.Length - 2).ToArray(), OutputActivation = Activation.Identity,
            Bias = false, Loss = LossKind.HalfSse, WeightDecay = Rational.Zero, X = x, Y = y.Select(v => new[] { v }).ToArray(),
        }, [seed], Construction: DuPoint.Kind);

    /// <summary>Fewer samples, narrower or shallower layers, targets and inputs towards 0 and ±1.</summary>
    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance c)
    {
        var s = c.Spec;
        IEnumerable<NetworkSpec> narrower = Enumerable.Range(1, s.Depth - 1).Where(k => s.Widths[k] > 1)
            .Select(k => s.With(widths: s.Widths.Select((w, q) => q == k ? w - 1 : w).ToArray()));
        IEnumerable<NetworkSpec> zeroTargets = s.Y.Any(r => !r[0].IsZero) ? [s.With(y: s.Y.Select(_ => new[] { Rational.Zero }).ToArray())] : [];
        return SmallerNetworks.WithoutEachSample(s).Concat(SmallerNetworks.WithoutLastHiddenLayer(s)).Concat(narrower).Concat(zeroTargets)
            .Concat(SmallerNetworks.InputsTowardsSign(s)).Select(smaller => c with { Spec = smaller });
    }
}

/// <summary>The point; the checker recomputes everything else from the spec (its own forward-mode derivatives).</summary>
public sealed record DuPointFacts(ParameterLayout Layout, Rational[] Point) : CertificateFacts
{
    public override JsonObject ToJson() => new() { ["point"] = Evidence.Point(Layout, Point) };
}
