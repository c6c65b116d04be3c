using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Scalars;
using VerifyLandscape.Testing;
using Interval = VerifyLandscape.Intervals.Interval;

namespace VerifyLandscape.Claims.Milne;

/// <summary>
/// Milne's point claims, decided exactly per instance with the switches frozen at the point (a pre-activation
/// exactly 0 is reported as not smooth). Instances: "point:SEED" (a small random rational point) or, for
/// Theorem 3, "teacher:SEED" (a point near the boundary of U(λ, θ), see <see cref="MilneTheorem3"/>).
/// </summary>
public abstract class MilnePointClaim : Claim
{
    protected abstract string Theorem { get; }
    public override string Source => "Milne (000), " + Theorem;
    public override IReadOnlyList<string> LocusKinds => ["point"];
    public override IReadOnlyList<Hypothesis> Hypotheses => [.. MilneHypotheses.Setting, MilneHypotheses.SmoothAtThePoint];

    public override Rational[]? ConcretePoint(ClaimInstance c) => c.Construction == "point" ? PointOf(c) : null;

    /// <summary>The point of "point:SEED": random rationals n/d with |n| ≤ 9, d ≤ 8, divided by 2.</summary>
    protected static Rational[] PointOf(ClaimInstance c) => Point.RandomRationals(c.Spec.ParameterCount, c.Seed).Select(q => q / 2).ToArray();


    public override Gen<ClaimInstance> Generator =>
        from depth in Gen.Choose(2, 3)
        from widths in Gen.ArrayOf(Gen.Choose(1, 3), depth)
        from sigma in Gen.Elements<Activation>(Activation.Relu, Activation.Relu, new LeakyRelu(Rational.Create(1, 10)), Activation.Identity)
        from output in Gen.Elements<Activation>(Activation.Identity, Activation.Identity, Activation.Relu)
        from n in Gen.Choose(1, 4)
        from xs in Gen.ArrayOf(Gen.ArrayOf(NetworkCases.SmallRational, widths[0]), n)
        from ys in Gen.ArrayOf(NetworkCases.SmallRational, n)
        from lambda in Gen.Elements(Rational.Create(1, 10), Rational.Create(2, 5), Rational.One)
        from seed in Gen.Choose(1, 100000)
        from kind in Gen.Elements(LocusKinds.ToArray())
        select new ClaimInstance(Id, new NetworkSpec
        {
            Widths = [.. widths, 1], HiddenActivations = Enumerable.Repeat(sigma, depth - 1).ToArray(), OutputActivation = output,
            Bias = false, Loss = LossKind.HalfMse, WeightDecay = lambda, X = xs, Y = ys.Select(y => new[] { y }).ToArray(),
        }, [seed], Construction: kind);

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance)
    {
        foreach (var c in NetworkCases.Shrink(new NetworkCase(instance.Spec, 0)))
            if (MilneSetting.Broken(c.Spec) is null)
                yield return instance with { Spec = c.Spec.With(decay: instance.Spec.WeightDecay) };
    }
}

/// <summary>M-L2: where ℓ is smooth, trace ∇²ℓ ≥ 0 (ℓ is subharmonic, so it has no local maximum).</summary>
public sealed class MilneLemma2 : MilnePointClaim
{
    public override string Id => "milne.lemma2";
    protected override string Theorem => "Lemma 2";
    public override string Statement => "trace ∇²ℓ ≥ 0 wherever ℓ is smooth";

    protected override Verdict Decide(ClaimInstance c)
    {
        var net = MilneSetting.Unregularised(c.Spec);
        var point = PointOf(c);
        var d = new NetworkDerivatives<Rational>(net, point);
        Rational trace = 0;
        for (int p = 0; p < net.ParameterCount; p++)
        {
            var e = new Rational[net.ParameterCount];
            e[p] = 1;
            trace += d.HessianVector(e)[p];
        }
        var evidence = new JsonObject { ["point"] = Evidence.Point(net.Layout, point), ["trace"] = trace.ToString() };
        return trace.Sign >= 0
            ? Verdict.Certified($"trace ∇²ℓ = {trace} ≥ 0 at the point (exact)", evidence)
            : Verdict.Refuted($"trace ∇²ℓ = {trace} < 0 at a smooth point", evidence);
    }
}

/// <summary>
/// M-(19): ∇‖∇ℓ_λ‖² = 2 H ∇ℓ_λ. The right side comes from the R-operator; the left side independently, from exact
/// values of G(t) = ‖∇ℓ_λ(W + t e_p)‖² only: with the switches frozen, the network output is affine in each single
/// weight, so G is a polynomial of degree ≤ 4 in t, and its derivative at 0 is a fixed combination of its values
/// at t = 0, δ, …, 4δ. A sixth value checks the degree; the switches are checked at every t used.
/// </summary>
public sealed class MilneIdentity19 : MilnePointClaim
{
    public override string Id => "milne.identity19";
    protected override string Theorem => "identity (19)";
    public override string Statement => "∇‖∇ℓ_λ‖² = 2 H ∇ℓ_λ, exactly";

    protected override Verdict Decide(ClaimInstance c)
    {
        var net = c.Spec;
        var point = PointOf(c);
        var at = new NetworkDerivatives<Rational>(net, point);
        var twoHg = at.HessianVector(at.Gradient).Select(v => 2 * v).ToArray();
        var switches = Switches(net, at);
        Rational[] weights = [Rational.Create(-25, 12), 4, -3, Rational.Create(4, 3), Rational.Create(-1, 4)]; // f'(0)·δ from f(0..4δ)
        // G(t) at t = 0, δ, …, 5δ, with δ small enough that no switch flips (exact rationals: any δ will do).
        Rational[]? Values(int p, Rational delta)
        {
            var values = new Rational[6];
            for (int k = 0; k < 6; k++)
            {
                var moved = (Rational[])point.Clone();
                moved[p] += k * delta;
                var d = new NetworkDerivatives<Rational>(net, moved);
                if (!Switches(net, d).SequenceEqual(switches)) return null;
                Rational g2 = 0;
                foreach (var g in d.Gradient) g2 += g * g;
                values[k] = g2;
            }
            return values;
        }
        for (int p = 0; p < net.ParameterCount; p++)
        {
            var delta = Rational.Create(1, 1 << 12);
            Rational[]? values = null;
            for (int attempt = 0; attempt < 4 && values is null; attempt++)
            {
                try { values = Values(p, delta); }
                catch (NonSmoothPointException) { values = null; }
                if (values is null) delta /= 1 << 20;
            }
            if (values is null) return Verdict.Inconclusive($"a switch flips arbitrarily close to the point along {net.Layout.Name(p)}");
            // Degree ≤ 4: the fifth finite difference vanishes.
            var fifth = values[5] - 5 * values[4] + 10 * values[3] - 10 * values[2] + 5 * values[1] - values[0];
            if (!fifth.IsZero) return Verdict.Inconclusive($"‖∇ℓ_λ‖² is not of degree ≤ 4 along {net.Layout.Name(p)} (fifth difference {fifth})");
            Rational derivative = 0;
            for (int k = 0; k < 5; k++) derivative += weights[k] * values[k];
            derivative /= delta;
            if (derivative != twoHg[p])
                return Verdict.Refuted($"∂‖∇ℓ_λ‖²/∂{net.Layout.Name(p)} = {derivative}, but (2H∇ℓ_λ) = {twoHg[p]}",
                    new JsonObject { ["point"] = Evidence.Point(net.Layout, point), ["parameter"] = net.Layout.Name(p) });
        }
        return Verdict.Certified($"all {net.ParameterCount} components of ∇‖∇ℓ_λ‖² (from exact values of ‖∇ℓ_λ‖² on lines) equal 2H∇ℓ_λ (R-operator), exactly",
            new JsonObject { ["point"] = Evidence.Point(net.Layout, point), ["gradientNormSquared"] = at.Gradient.Aggregate(Rational.Zero, (s, g) => s + g * g).ToString() });
    }

    /// <summary>The switch pattern: for every relu-type unit and sample, the sign of its output (relu: active or not).</summary>
    private static List<int> Switches(NetworkSpec net, NetworkDerivatives<Rational> d)
    {
        var signs = new List<int>();
        for (int i = 0; i < net.SampleCount; i++)
            for (int k = 1; k <= net.Depth; k++)
                if (net.ActivationOf(k) is LeakyRelu)
                    foreach (var a in d.Activations(k, i)) signs.Add(a.Sign);
        return signs;
    }
}

/// <summary>
/// M-L3: with the switches frozen at W (φ that polynomial), d²/dt² φ(W + tX)|₀ ≥ −2H(H+1) ‖W‖_*^{H−1} ‖X‖² r φ(W)^{1/2}
/// for every X, i.e. H + C·I ⪰ 0 with C = 2H(H+1)‖W‖_*^{H−1} r φ^{1/2} and H the exact Hessian of φ at W. C is enclosed
/// rigorously (‖W‖_* from below and above, square roots outward-rounded) in [C_lo, C_hi], both exact rationals: certified
/// (for every direction X at once) when H + C_lo·I ⪰ 0 by exact LDLᵀ inertia; refuted when H + C_hi·I has a negative
/// eigenvalue (then some X has XᵀHX &lt; −C_hi‖X‖² ≤ −C‖X‖²); inconclusive in between.
/// </summary>
public sealed class MilneLemma3 : MilnePointClaim
{
    public override string Id => "milne.lemma3";
    protected override string Theorem => "Lemma 3";
    public override string Statement => "d²/dt² φ(W+tX) ≥ −2H(H+1)‖W‖_*^{H−1}‖X‖² r φ(W)^{1/2} for every X";

    protected override Verdict Decide(ClaimInstance c)
    {
        var net = MilneSetting.Unregularised(c.Spec);
        var point = PointOf(c);
        var d = new NetworkDerivatives<Rational>(net, point);
        int h = MilneSetting.HiddenLayers(net), p = net.ParameterCount;
        var constant = Interval.FromRational(2 * h * (h + 1)) * MilneSetting.Power(MilneSetting.StarNorm(net, point), h - 1)
                       * Interval.FromRational(MilneSetting.RadiusSquared(net)).Sqrt() * Interval.FromRational(d.Loss).Sqrt();
        bool exactZero = d.Loss.IsZero || MilneSetting.RadiusSquared(net).IsZero; // then C = 0 exactly
        Rational lower = exactZero ? 0 : Rational.FromDouble(Math.Max(0, constant.Lo)), upper = exactZero ? 0 : Rational.FromDouble(constant.Hi);
        var hessian = d.Hessian();
        Inertia Shifted(Rational shift)
        {
            var m = (Rational[,])hessian.Clone();
            for (int i = 0; i < p; i++) m[i, i] += shift;
            return ExactLinearAlgebra.InertiaOf(m);
        }
        var atLower = Shifted(lower);
        var evidence = new JsonObject
        {
            ["point"] = Evidence.Point(net.Layout, point), ["phi"] = d.Loss.ToString(),
            ["constant"] = new JsonArray(lower.ToString(), upper.ToString()), ["inertiaOfHPlusCLo"] = atLower.ToString(),
        };
        if (atLower.Negative == 0)
            return Verdict.Certified($"H + C_lo·I ⪰ 0 (inertia {atLower}, exact LDLᵀ) with C = 2H(H+1)‖W‖_*^{{H−1}} r φ^{{1/2}} ≥ C_lo = {lower.ToDouble():G6}: the bound holds for every direction X", evidence);
        var atUpper = Shifted(upper);
        evidence["inertiaOfHPlusCHi"] = atUpper.ToString();
        if (atUpper.Negative > 0)
            return Verdict.Refuted($"H + C_hi·I has inertia {atUpper} (C ≤ C_hi = {upper.ToDouble():G6}): some direction X has XᵀHX < −C‖X‖²", evidence);
        return Verdict.Inconclusive($"H + C·I ⪰ 0 is decided neither at C_lo = {lower.ToDouble():G6} nor at C_hi = {upper.ToDouble():G6}");
    }
}

/// <summary>
/// M-T3: for W in U(λ, θ) (θ = λ/2 here), the switch-frozen Hessian of ℓ_λ is ⪰ θ I. Membership is proved with
/// rigorous bounds (upper bounds of ℓ^{1/2} and ‖W‖_*, lower bound of the right side); then H_λ − θI ⪰ 0 by exact
/// LDLᵀ inertia. "teacher:SEED" points: targets from a rational teacher W* (so ℓ(W*) = 0), then W = W* + sD with the
/// largest s (bisection in exact arithmetic, 12 steps) at which membership is still proved: near the boundary.
/// </summary>
public sealed class MilneTheorem3 : MilnePointClaim
{
    public override string Id => "milne.theorem3";
    protected override string Theorem => "Theorem 3";
    public override string Statement => "W ∈ U(λ, θ) ⇒ ∇²ℓ_λ(W) ⪰ θ I (switches frozen; θ = λ/2)";
    public override IReadOnlyList<string> LocusKinds => ["teacher", "point"];
    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [.. MilneHypotheses.Setting, SettingHypotheses.PositiveWeightDecay, MilneHypotheses.SmoothAtThePoint, MilneHypotheses.InU];

    protected override Verdict Decide(ClaimInstance c)
    {
        var lambda = c.Spec.WeightDecay;
        var theta = lambda / 2;
        var (net, point) = c.Construction == "teacher" ? NearBoundary(c, lambda, theta) : (c.Spec, PointOf(c));
        if (point is null) return Verdict.OutOfHypotheses("the teacher's targets are not smooth (a pre-activation is exactly 0)");
        var plain = new NetworkDerivatives<Rational>(MilneSetting.Unregularised(net), point);
        var left = MilneSetting.MembershipLeft(net, point, plain.Loss);
        var right = MilneSetting.MembershipRight(net, lambda, theta);
        var evidence = new JsonObject
        {
            ["point"] = Evidence.Point(net.Layout, point), ["lambda"] = lambda.ToString(), ["theta"] = theta.ToString(),
            ["membershipLeft"] = new JsonArray(left.Lo, left.Hi), ["membershipRight"] = new JsonArray(right.Lo, right.Hi),
        };
        if (!(left.Hi < right.Lo)) return Verdict.OutOfHypotheses($"W is not proved to lie in U(λ, θ): ℓ^{{1/2}}‖W‖_*^{{H−1}} ∈ [{left.Lo:G6}, {left.Hi:G6}], bound ∈ [{right.Lo:G6}, {right.Hi:G6}]");
        var h = new NetworkDerivatives<Rational>(net, point).Hessian();
        int p = net.ParameterCount;
        for (int i = 0; i < p; i++) h[i, i] -= theta;
        var inertia = ExactLinearAlgebra.InertiaOf(h);
        evidence["inertiaOfHMinusTheta"] = inertia.ToString();
        return inertia.Negative == 0
            ? Verdict.Certified($"W ∈ U(λ, θ) (proved: {left.Hi:G6} < {right.Lo:G6}, at {left.Hi / right.Lo:P1} of the bound) and H_λ − θI has inertia {inertia}: H_λ ⪰ θ I", evidence)
            : Verdict.Refuted($"W ∈ U(λ, θ) but H_λ − θI has inertia {inertia}: a direction with curvature below θ", evidence);
    }

    /// <summary>The teacher construction: the spec with targets f_{W*}(x_i), and W* + sD with s as large as membership allows.</summary>
    private static (NetworkSpec, Rational[]?) NearBoundary(ClaimInstance c, Rational lambda, Rational theta)
    {
        var teacher = Point.RandomRationals(c.Spec.ParameterCount, c.Seed).Select(q => q / 2).ToArray();
        NetworkSpec net;
        try
        {
            var outputs = new NetworkDerivatives<Rational>(c.Spec, teacher).Outputs;
            net = c.Spec.With(y: outputs.Select(o => new[] { o[0] }).ToArray());
        }
        catch (NonSmoothPointException) { return (c.Spec, null); }
        var direction = Point.RandomRationals(c.Spec.ParameterCount, c.Seed + 1).Select(q => q / 2).ToArray();
        var right = MilneSetting.MembershipRight(net, lambda, theta);
        var plain = MilneSetting.Unregularised(net);
        Rational[] At(Rational s) => teacher.Zip(direction, (w, d) => w + s * d).ToArray();
        bool Inside(Rational s)
        {
            try
            {
                var w = At(s);
                var loss = new NetworkDerivatives<Rational>(plain, w).Loss;
                return MilneSetting.MembershipLeft(net, w, loss).Hi < right.Lo;
            }
            catch (NonSmoothPointException) { return false; }
        }
        Rational lo = 0, hi = Rational.Create(1, 8);
        for (int i = 0; i < 12 && Inside(hi); i++) { lo = hi; hi *= 2; }
        for (int i = 0; i < 12; i++)
        {
            var mid = (lo + hi) / 2;
            if (Inside(mid)) lo = mid; else hi = mid;
        }
        return (net, At(lo));
    }
}
