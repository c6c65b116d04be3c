using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Exact;
using Interval = VerifyLandscape.Intervals.Interval;
using VerifyLandscape.Networks;
using VerifyLandscape.Scalars;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Claims.Freeman;

/// <summary>The families of invertible F_k that act on a hidden layer's units (002 §2.1 and its refutations).</summary>
public enum UnitTransform
{
    /// <summary>Any invertible matrix (linear layers, κ = 0).</summary>
    General,
    /// <summary>Rational orthogonal matrices, by Cayley's transform (I − A)(I + A)⁻¹ of a skew A (linear layers with ridge).</summary>
    Orthogonal,
    /// <summary>Permutations with signs (linear layers with an ℓ1 penalty: ‖·‖₁ is kept).</summary>
    SignedPermutation,
    /// <summary>A permutation times a positive diagonal (positively homogeneous σ: relu, leaky-relu; κ = 0).</summary>
    PositiveScaling,
    /// <summary>Permutations of the units (any σ, any penalty).</summary>
    Permutation,
    /// <summary>Diagonal with at least one negative entry (relu: known false).</summary>
    NegativeScaling,
    /// <summary>Invertible and not orthogonal (ridge: known false).</summary>
    NonOrthogonal,
    /// <summary>Diagonal with positive entries ≠ 1 (tanh, sigmoid: known false).</summary>
    NonTrivialPositiveScaling,
}

/// <summary>
/// The symmetry statements of 002 §2.1: F is invariant under θ ↦ g·θ, where g acts by W_k ↦ F_k W_k F_{k−1}⁻¹ and
/// b_k ↦ F_k b_k (F_0 = F_K = I; the column-convention fix of the printed U_θ, notes §2.2). An instance "transform:SEED"
/// draws a point θ with non-zero rational entries and F_k from the family the claim names for layer k, and compares
/// F(g·θ) with F(θ): exactly where every activation is rational at rational points (identity, relu, leaky-relu,
/// polynomials), else by interval enclosures (tanh, sigmoid: disjoint enclosures refute; overlapping ones decide nothing).
/// An equality is a statement at that point (certified there), never over all θ.
/// </summary>
public abstract class SymmetryClaim : Claim
{
    public override string Source => "Freeman, Bruna (002), §2.1 (symmetries of F)";
    public override IReadOnlyList<string> LocusKinds => ["transform"];
    public override IReadOnlyList<Hypothesis> Hypotheses => [SettingHypotheses.SomeHiddenLayer, Hypothesis.OnSpec(SettingWording, s => Family(s, out var why) is null ? why : null)];
    public override bool AcceptsL1Penalty => true;

    protected abstract string SettingWording { get; }
    /// <summary>The family for each hidden layer k = 1..K−1 (index k−1) on this spec, or null with why the spec is outside the claim.</summary>
    protected abstract UnitTransform[]? Family(NetworkSpec s, out string why);
    /// <summary>Activations the generator draws for hidden layers, and whether it draws a ridge κ and an ℓ1 κ₁.</summary>
    protected abstract Activation[] Activations { get; }
    protected abstract Rational[] RidgeChoices { get; }
    protected virtual Rational[] L1Choices => [Rational.Zero];
    /// <summary>mse and mae; with tanh/sigmoid only mse (an enclosed residual near 0 leaves |·|'s branch undecided).</summary>
    protected virtual LossKind[] Losses => [LossKind.Mse, LossKind.Mse, LossKind.Mae];

    protected static bool Homogeneous(Activation a) => a is LeakyRelu or IdentityActivation;
    protected static bool Penalised(NetworkSpec s) => !s.WeightDecay.IsZero || !s.L1Penalty.IsZero;

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        var family = Family(s, out var why) ?? throw new InvalidOperationException(why);
        var theta = NonZeroPoint(s.ParameterCount, c.Seed);
        var rng = new Random(c.Seed * 7919 + 1);
        var f = new Rational[s.Depth + 1][,];
        f[0] = Matrices.Identity(s.InputWidth);
        f[s.Depth] = Matrices.Identity(s.OutputWidth);
        for (int k = 1; k < s.Depth; k++) f[k] = Draw(family[k - 1], s.Widths[k], rng);
        var moved = Apply(s, theta, f);
        var evidence = new JsonObject
        {
            ["point"] = Evidence.Point(s.Layout, theta),
            ["transforms"] = new JsonArray(Enumerable.Range(1, s.Depth - 1).Select(k => (JsonNode?)Evidence.Matrix(f[k])).ToArray()),
            ["families"] = new JsonArray(family.Select(t => (JsonNode?)t.ToString()).ToArray()),
        };
        Rational? exactBefore = Exact(s, theta), exactAfter = exactBefore is null ? null : Exact(s, moved);
        if (exactBefore is { } before && exactAfter is { } after)
        {
            evidence["loss"] = before.ToString();
            evidence["lossAfter"] = after.ToString();
            return before == after
                ? Verdict.Certified($"F(g·θ) = F(θ) = {before} at the point (exact)", evidence)
                : Verdict.Refuted($"F(g·θ) = {after} ≠ F(θ) = {before} (exact)", evidence);
        }
        Interval a = Loss.Evaluate(s, theta.Select(Interval.FromRational).ToArray()), b = Loss.Evaluate(s, moved.Select(Interval.FromRational).ToArray());
        evidence["loss"] = a.ToString();
        evidence["lossAfter"] = b.ToString();
        if (a.Hi < b.Lo || b.Hi < a.Lo)
            return Verdict.Refuted($"F(g·θ) ∈ {b} and F(θ) ∈ {a} are disjoint (rigorous enclosures)", evidence);
        return Verdict.Inconclusive($"F(θ) ∈ {a} and F(g·θ) ∈ {b} overlap; with {string.Join("/", s.HiddenActivations.Select(x => x.Name).Distinct())} equality cannot be decided exactly (instance: {c})");
    }

    /// <summary>F at θ in rationals, or null when an activation is not rational there.</summary>
    private static Rational? Exact(NetworkSpec s, Rational[] theta)
    {
        try { return Loss.Evaluate(s, theta); }
        catch (NotExactException) { return null; }
    }

    /// <summary>θ's entries n/d with n ∈ ±1..9, d ∈ 1..8: never 0, so no unit is trivially switched off and no ℓ1 kink is hit.</summary>
    public static Rational[] NonZeroPoint(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Rational.Create(rng.Next(1, 10) * (rng.Next(2) == 0 ? -1 : 1), rng.Next(1, 9))).ToArray();
    }

    /// <summary>g·θ: W_k ↦ F_k W_k F_{k−1}⁻¹, b_k ↦ F_k b_k.</summary>
    public static Rational[] Apply(NetworkSpec s, Rational[] theta, Rational[][,] f)
    {
        var layout = s.Layout;
        var moved = (Rational[])theta.Clone();
        for (int k = 1; k <= s.Depth; k++)
        {
            var w = new Rational[s.Widths[k], s.Widths[k - 1]];
            for (int i = 0; i < s.Widths[k]; i++) for (int j = 0; j < s.Widths[k - 1]; j++) w[i, j] = theta[layout.Weight(k, i, j)];
            var inverse = Matrices.Inverse(f[k - 1]) ?? throw new InvalidOperationException("a drawn transform is singular");
            var nw = Matrices.Multiply(Matrices.Multiply(f[k], w), inverse);
            for (int i = 0; i < s.Widths[k]; i++) for (int j = 0; j < s.Widths[k - 1]; j++) moved[layout.Weight(k, i, j)] = nw[i, j];
            if (!layout.HasBias(k)) continue;
            for (int i = 0; i < s.Widths[k]; i++)
            {
                Rational sum = 0;
                for (int j = 0; j < s.Widths[k]; j++) sum += f[k][i, j] * theta[layout.BiasIndex(k, j)];
                moved[layout.BiasIndex(k, i)] = sum;
            }
        }
        return moved;
    }

    /// <summary>One F of the family, n × n, from the generator's random stream.</summary>
    public static Rational[,] Draw(UnitTransform family, int n, Random rng)
    {
        Rational[,] Permutation(bool signs)
        {
            var order = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
            var p = Matrices.Zeros(n, n);
            for (int i = 0; i < n; i++) p[i, order[i]] = signs && rng.Next(2) == 0 ? -1 : 1;
            return p;
        }
        Rational[,] Diagonal(Rational[] choices, bool firstNegative)
        {
            var d = Matrices.Zeros(n, n);
            for (int i = 0; i < n; i++) d[i, i] = choices[rng.Next(choices.Length)] * (i == 0 && firstNegative ? -1 : 1);
            return d;
        }
        Rational[] positive = [Rational.Half, 2, 3, Rational.Create(1, 3), Rational.Create(3, 2)];
        switch (family)
        {
            case UnitTransform.Permutation: return Permutation(false);
            case UnitTransform.SignedPermutation: return Permutation(true);
            case UnitTransform.PositiveScaling: return Matrices.Multiply(Permutation(false), Diagonal(positive, false));
            case UnitTransform.NonTrivialPositiveScaling: return Diagonal(positive, false);
            case UnitTransform.NegativeScaling: return Diagonal([.. positive, 1, -1, -2], firstNegative: true);
            case UnitTransform.Orthogonal:
            {
                var a = Matrices.Zeros(n, n);
                for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) { a[i, j] = rng.Next(-2, 3); a[j, i] = -a[i, j]; }
                var identity = Matrices.Identity(n);
                return Matrices.Multiply(Matrices.Add(identity, a, -1), Matrices.Inverse(Matrices.Add(identity, a, 1))!);
            }
            default:
                for (int attempt = 0; ; attempt++)
                {
                    var m = Matrices.Zeros(n, n);
                    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i, j] = rng.Next(-2, 3);
                    if (attempt > 100) for (int i = 0; i < n; i++) m[i, i] += 3; // diagonally dominant: invertible, and not orthogonal
                    var gram = Matrices.Multiply(Matrices.Transpose(m), m);
                    bool orthogonal = Matrices.AreEqual(gram, Matrices.Identity(n));
                    if (Matrices.Inverse(m) is not null && (family == UnitTransform.General || !orthogonal)) return m;
                }
        }
    }

    public override Gen<ClaimInstance> Generator =>
        from depth in Gen.Choose(2, 3)
        from widths in Gen.ArrayOf(Gen.Choose(1, 3), depth + 1)
        from sigma in Gen.ArrayOf(Gen.Elements(Activations), depth - 1)
        from bias in Gen.Elements(true, false)
        from loss in Gen.Elements(Losses)
        from kappa in Gen.Elements(RidgeChoices)
        from l1 in Gen.Elements(L1Choices)
        from samples in Gen.Choose(1, 3)
        from xs in Gen.ArrayOf(Gen.ArrayOf(NetworkCases.SmallRational, widths[0]), samples)
        from ys in Gen.ArrayOf(Gen.ArrayOf(NetworkCases.SmallRational, widths[^1]), samples)
        from seed in Gen.Choose(1, 100000)
        select new ClaimInstance(Id, new NetworkSpec
        {
            Widths = widths, HiddenActivations = sigma, OutputActivation = Activation.Identity, Bias = bias, Loss = loss,
            WeightDecay = 2 * kappa, L1Penalty = l1, X = xs, Y = ys,
        }, [seed], Construction: "transform");

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance)
    {
        foreach (var c in NetworkCases.Shrink(new NetworkCase(instance.Spec, 0)))
            yield return instance with { Spec = c.Spec };
        foreach (var seed in new[] { 1, 2, 3 }.Where(v => v < instance.Seed))
            yield return instance with { Locus = [seed] };
    }
}

/// <summary>
/// F-sym: the exact invariances, layer by layer: linear layers under every invertible F_k (κ = 0), orthogonal F_k (ridge
/// only), signed permutations (an ℓ1 penalty); relu/leaky-relu layers under positive scalings and permutations (κ = 0),
/// permutations with a penalty; any other σ under permutations.
/// </summary>
public sealed class Symmetry : SymmetryClaim
{
    public override string Id => "freeman.sym";
    public override string Statement => "F(g·θ) = F(θ) for g in the layer's symmetry group: GL (linear, κ = 0), O (linear, ridge), signed permutations (linear, ℓ1), positive scalings·permutations (relu, κ = 0), permutations (otherwise)";
    protected override string SettingWording => "plain layered network (any σ, loss, ridge or ℓ1)";
    protected override Activation[] Activations => [Activation.Identity, Activation.Identity, Activation.Relu, new LeakyRelu(Rational.Create(1, 10)), new PolynomialActivation([0, 1, Rational.Half])];
    protected override Rational[] RidgeChoices => [0, 0, Rational.Create(1, 10)];
    protected override Rational[] L1Choices => [0, 0, 0, Rational.Create(1, 10)];

    protected override UnitTransform[]? Family(NetworkSpec s, out string why)
    {
        why = "";
        return s.HiddenActivations.Select(a =>
            a is IdentityActivation
                ? !s.L1Penalty.IsZero ? UnitTransform.SignedPermutation : !s.WeightDecay.IsZero ? UnitTransform.Orthogonal : UnitTransform.General
                : Homogeneous(a) && !Penalised(s) ? UnitTransform.PositiveScaling : UnitTransform.Permutation).ToArray();
    }
}

/// <summary>
/// A known-false overreach: one family of transforms for every hidden layer, on networks whose hidden layers all have
/// one of the claim's activations, with the penalty the claim names (none, or a ridge κ &gt; 0).
/// </summary>
public abstract class SymmetryOverreach : SymmetryClaim
{
    public override Expectation Expected => Expectation.KnownFalse;
    protected abstract UnitTransform Transform { get; }
    /// <summary>The activations as the reason words them ("relu", "linear", "tanh or sigmoid").</summary>
    protected abstract string Kind { get; }
    protected virtual bool Ridge => false;
    protected override Rational[] RidgeChoices => Ridge ? [Rational.Create(1, 10), Rational.Create(1, 4)] : [0];

    protected override UnitTransform[]? Family(NetworkSpec s, out string why)
    {
        why = s.HiddenActivations.Any(a => !Activations.Any(b => b.Name == a.Name)) ? $"a hidden layer is not {Kind}"
            : Ridge ? (s.WeightDecay.IsZero ? "κ = 0 (the claim is about ridge)" : "")
            : Penalised(s) ? "κ ≠ 0" : "";
        return why.Length > 0 ? null : s.HiddenActivations.Select(_ => Transform).ToArray();
    }
}

/// <summary>Known false: relu layers under diagonal scalings with a negative entry.</summary>
public sealed class SymmetryNegativeScaling : SymmetryOverreach
{
    public override string Id => "freeman.sym-relu-negative";
    public override string Statement => "relu networks are invariant under every non-zero diagonal scaling of hidden units (negative ones too)";
    protected override string SettingWording => "relu hidden layers, κ = 0";
    protected override Activation[] Activations => [Activation.Relu];
    protected override string Kind => "relu";
    protected override UnitTransform Transform => UnitTransform.NegativeScaling;
}

/// <summary>Known false: with ridge, linear layers under every invertible F_k.</summary>
public sealed class SymmetryRidgeGeneral : SymmetryOverreach
{
    public override string Id => "freeman.sym-ridge-general";
    public override string Statement => "with ridge κ > 0, linear networks are invariant under every invertible F_k (not only orthogonal ones)";
    protected override string SettingWording => "linear hidden layers, ridge κ > 0";
    protected override Activation[] Activations => [Activation.Identity];
    protected override string Kind => "linear";
    protected override UnitTransform Transform => UnitTransform.NonOrthogonal;
    protected override bool Ridge => true;
}

/// <summary>Known false: tanh or sigmoid layers under positive scalings (they are not positively homogeneous).</summary>
public sealed class SymmetrySmoothScaling : SymmetryOverreach
{
    public override string Id => "freeman.sym-smooth-scaling";
    public override string Statement => "tanh and sigmoid networks are invariant under positive diagonal scalings of hidden units, as relu ones are";
    protected override string SettingWording => "tanh or sigmoid hidden layers, κ = 0";
    protected override LossKind[] Losses => [LossKind.Mse];
    protected override Activation[] Activations => [Activation.Tanh, Activation.Sigmoid];
    protected override string Kind => "tanh or sigmoid";
    protected override UnitTransform Transform => UnitTransform.NonTrivialPositiveScaling;
}
