using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using Interval = VerifyLandscape.Intervals.Interval;
using VerifyLandscape.Networks;
using VerifyLandscape.Scalars;
using VerifyLandscape.Symbolic;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Claims.Cooper;

/// <summary>
/// Shared machinery of Cooper's locus claims: hypotheses, generic-point derivatives,
/// generators of instances (depth ℓ = 3..6, widths ≤ 4, m = 1..3, N ≤ 6) and shrinking.
/// </summary>
public abstract class CooperLocusClaim : Claim
{
    public override string Source => "Cooper (004), " + Theorem;
    protected abstract string Theorem { get; }
    /// <summary>How many locus indices an instance names (1: a star locus S_j; 2: a core component C_{i,j}).</summary>
    protected abstract int LocusIndices { get; }
    /// <summary>Whether the hypothesis σ(0) = 0 is part of the claim (the literal variant without it drops it).</summary>
    protected virtual bool RequiresSigmaZero => true;

    public override IReadOnlyList<Hypothesis> Hypotheses =>
    [
        .. CooperHypotheses.Setting("the loci fix b_ℓ = ȳ"), CooperHypotheses.SmoothSigma,
        .. RequiresSigmaZero ? [CooperHypotheses.SigmaVanishesAtZero] : Array.Empty<Hypothesis>(),
        LocusIndices == 1 ? CooperHypotheses.StarLocus : CooperHypotheses.CoreLocus,
    ];

    public override IReadOnlyList<string> LocusKinds => [LocusIndices == 1 ? "star" : "core"];

    protected static AffineLocus LocusOf(ClaimInstance c) => CooperLoci.Core(c.Spec, c.Locus);

    /// <summary>The locus with its free parameters set to small rationals (seed 1); a constructed global minimum.</summary>
    public override Rational[]? ConcretePoint(ClaimInstance c) =>
        c.Construction is null ? LocusOf(c).ConcretePoint(1) : FibreClaim.BuildGlobalMinimum(c, out _)?.Point;

    protected static Gen<Activation> SmoothVanishing => Gen.Elements<Activation>(
        Activation.Tanh, Activation.Tanh, Activation.Swish, Activation.Identity, new PolynomialActivation([0, 1, Rational.Half]));

    protected virtual Gen<Activation> Activations => SmoothVanishing;
    protected virtual int MaxOutputs => 3;

    public override Gen<ClaimInstance> Generator =>
        from depth in Gen.Choose(LocusIndices == 1 ? 2 : 3, 6)
        from c in NetworkCases.Generator(Activations, minDepth: depth, maxDepth: depth, maxWidth: 4, maxSamples: 6,
                                         losses: [LossKind.Sse], bias: true, maxOutputs: MaxOutputs, outputs: Gen.Constant(Activation.Identity))
        from i in Gen.Choose(1, depth - 1)
        from j in Gen.Choose(1, depth - 1)
        where LocusIndices == 1 || i != j
        select new ClaimInstance(Id, c.Spec.With(decay: Rational.Zero),
                                 LocusIndices == 1 ? [i] : [Math.Min(i, j), Math.Max(i, j)]);

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance)
    {
        var spec = instance.Spec;
        // Drop a hidden layer k not named by the locus; indices above it shift down by one.
        for (int k = 1; k < spec.Depth; k++)
        {
            if (instance.Locus.Contains(k) || spec.Depth - 1 <= LocusIndices) continue;
            var smaller = spec.With(widths: spec.Widths.Where((_, j) => j != k).ToArray(),
                                            hidden: spec.HiddenActivations.Where((_, j) => j != k - 1).ToArray());
            yield return instance with { Spec = smaller, Locus = instance.Locus.Select(j => j > k ? j - 1 : j).ToArray() };
        }
        // Fewer samples, narrower layers, simpler numbers and activations (same depth).
        foreach (var c in NetworkCases.Shrink(new NetworkCase(spec, 0)))
            if (c.Spec.Depth == spec.Depth && c.Spec.WeightDecay.IsZero && c.Spec.OutputActivation is IdentityActivation)
                yield return instance with { Spec = c.Spec };
    }

    /// <summary>A concrete rational point of the locus where a gradient entry is proved non-zero by an interval enclosure.</summary>
    protected static Verdict NonCriticalPoint(ClaimInstance c, AffineLocus locus, Sym[] gradient, List<int> nonZero)
    {
        var layout = c.Spec.Layout;
        foreach (var p in nonZero)
            if (ProveNonZero(c, locus, gradient[p]) is var (point, entry, enclosure))
            {
                var facts = new NonCriticalPointOnLocus(locus, layout, point, p, entry, enclosure, gradient[p]);
                return Verdict.Refuted($"∂L/∂{layout.Name(p)} ∈ {enclosure} ≠ 0 at a point of {locus.Name}, so that point is not critical", facts.Witness(), facts);
            }
        return Verdict.Inconclusive($"the gradient is not the zero polynomial at {locus.Name} (e.g. ∂L/∂{layout.Name(nonZero[0])}), but no concrete point with a provably non-zero entry was found");
    }

    /// <summary>
    /// A non-zero polynomial in the ring is not yet a real non-zero value (atoms are independent symbols there).
    /// Look for a concrete rational point of the locus where an interval enclosure of the value excludes 0.
    /// </summary>
    protected static (Rational[] Point, Sym Value, Interval Enclosure)? ProveNonZero(ClaimInstance c, AffineLocus locus, Sym generic)
    {
        var layout = c.Spec.Layout;
        for (int seed = 1; seed <= 20; seed++)
        {
            var point = locus.ConcretePoint(seed);
            var values = layout.Names.Select((n, p) => (n, p)).ToDictionary(t => t.n, t => point[t.p]);
            var value = generic.Substitute(s => values.TryGetValue(s.Name, out var q) ? q : null);
            var enclosure = value.Enclose(_ => null);
            if (!enclosure.ContainsZero) return (point, value, enclosure);
        }
        return null;
    }
}

/// <summary>C-3.1: σ smooth with σ(0) = 0, sse loss: every point of the star locus S_j is critical.</summary>
public class StarLocusIsCritical : CooperLocusClaim
{
    public override string Id => "cooper.3.1";
    protected override string Theorem => "Theorem 3.1";
    public override string Statement => "every point of the star locus S_j is a critical point of L";
    protected override int LocusIndices => 1;

    protected override Verdict Decide(ClaimInstance c)
    {
        var locus = LocusOf(c);
        var layout = c.Spec.Layout;
        var d = new NetworkDerivatives<Sym>(c.Spec, Point.GenericPoint(locus, layout).Values);
        var nonZero = Enumerable.Range(0, layout.Count).Where(p => !d.Gradient[p].IsZero).ToList();
        if (nonZero.Count == 0)
            return Verdict.Certified($"the gradient is the zero polynomial at the generic point of {locus.Name} (dimension {locus.Dimension}), so it vanishes on all of it",
                new JsonObject { ["locus"] = locus.Name, ["dimension"] = locus.Dimension, ["gradient"] = "all zero" },
                new GradientVanishesOnLocus(locus, layout));
        return NonCriticalPoint(c, locus, d.Gradient, nonZero);
    }

}

/// <summary>
/// C-3.1 with the hypothesis σ(0) = 0 dropped. THEOREMS.md expected it to fail for sigmoid and softplus;
/// the exact layer proves it instead: with W_j = 0 every activation above layer j is the same for all
/// inputs, so with W_ℓ = 0, b_ℓ = ȳ the residuals sum to zero against a constant and every gradient entry
/// vanishes whatever σ(0) is. The hypothesis is needed for C-3.2 (see cooper.3.2-without-sigma0), not here.
/// </summary>
public sealed class StarLocusWithoutSigmaZero : StarLocusIsCritical
{
    public override string Id => "cooper.3.1-without-sigma0";
    protected override string Theorem => "Theorem 3.1 without the hypothesis σ(0) = 0";
    public override string Statement => "every point of S_j is critical, for any smooth σ (hypothesis σ(0) = 0 dropped)";
    protected override bool RequiresSigmaZero => false;
    protected override Gen<Activation> Activations => Gen.Elements<Activation>(Activation.Sigmoid, new Softplus(1), Activation.Tanh);
}

/// <summary>
/// C-3.2 (corrected): at every point of the core component C_{i,j} the gradient is 0 and the Hessian is
/// 2N·I_m on the b_ℓ block and 0 elsewhere, so its inertia is (m, 0, P − m): a degenerate critical point.
/// </summary>
public class CoreLocusIsDegenerate : CooperLocusClaim
{
    public override string Id => "cooper.3.2";
    protected override string Theorem => "Theorem 3.2 (corrected: m positive eigenvalues)";
    public override string Statement => "every point of the core locus is a degenerate critical point; Hessian = 2N·I_m on b_ℓ, 0 elsewhere, inertia (m, 0, P−m)";
    protected override int LocusIndices => 2;

    protected override Verdict Decide(ClaimInstance c)
    {
        var net = c.Spec;
        var locus = LocusOf(c);
        var layout = net.Layout;
        var d = ExactDerivation.Compute(net, Point.GenericPoint(locus, layout), hessian: true);
        var nonZeroGradient = Enumerable.Range(0, layout.Count).Where(p => !d.Gradient[p].IsZero).ToList();
        if (nonZeroGradient.Count > 0) return NonCriticalPoint(c, locus, d.Gradient, nonZeroGradient);
        var bLast = layout.BiasesOf(net.Depth).ToHashSet();
        var twoN = (Rational)(2 * net.SampleCount);
        for (int p = 0; p < layout.Count; p++)
            for (int q = 0; q < layout.Count; q++)
            {
                Sym expected = p == q && bLast.Contains(p) ? twoN : Rational.Zero;
                if (d.Hessian![p, q] == expected) continue;
                if (ProveNonZero(c, locus, d.Hessian[p, q] - expected) is not var (point, value, enclosure))
                    return Verdict.Inconclusive($"H[{layout.Name(p)}, {layout.Name(q)}] − {expected} = {d.Hessian[p, q] - expected} is not the zero polynomial on {locus.Name}, but it was not proved non-zero at any point tried");
                return Verdict.Refuted($"H[{layout.Name(p)}, {layout.Name(q)}] − {expected} ∈ {enclosure} ≠ 0 at a point of {locus.Name} (generic value {d.Hessian[p, q]})",
                    new JsonObject
                    {
                        ["locus"] = locus.Name, ["entry"] = $"{layout.Name(p)},{layout.Name(q)}", ["genericValue"] = d.Hessian[p, q].ToString(),
                        ["point"] = Evidence.Point(layout, point), ["valueMinusExpected"] = value.ToString(), ["enclosure"] = new JsonArray(enclosure.Lo, enclosure.Hi),
                    }, new ViolatedEntryOnLocus(locus, layout, point, p, q));
            }
        // Every entry equals its rational claimed value now, so the Hessian is one rational matrix on the whole locus.
        var facts = new HessianOnLocus(locus, layout, ExactDerivation.ToRational(d.Hessian!, out _)!);
        return Judge(c, locus, d.Inertia!.Value, net.OutputWidth, layout.Count, facts);
    }

    protected virtual Verdict Judge(ClaimInstance c, AffineLocus locus, Inertia inertia, int m, int parameters, CertificateFacts facts)
    {
        var evidence = new JsonObject
        {
            ["locus"] = locus.Name, ["dimension"] = locus.Dimension,
            ["hessian"] = $"2N = {2 * c.Spec.SampleCount} on the diagonal of b{c.Spec.Depth}, 0 elsewhere",
            ["inertia"] = inertia.ToString(),
        };
        return inertia == new Inertia(m, 0, parameters - m)
            ? Verdict.Certified($"on all of {locus.Name} (dimension {locus.Dimension}): gradient 0, Hessian 2N·I_{m} on b_ℓ and 0 elsewhere, inertia {inertia} by exact LDLᵀ", evidence, facts)
            : Verdict.Refuted($"inertia {inertia}, expected ({m}, 0, {parameters - m})", evidence, facts);
    }
}

/// <summary>
/// C-3.2 with the hypothesis σ(0) = 0 dropped: false. With σ(0) ≠ 0 the last hidden layer's activations on
/// the core locus are a non-zero constant a, and the (W_ℓ, b_ℓ) block of the Hessian is 2N [a; 1][a; 1]ᵀ ⊗ I_m,
/// not 2N·I_m on b_ℓ alone. Kept so the catalog records why the hypothesis is there.
/// </summary>
public sealed class CoreLocusWithoutSigmaZero : CoreLocusIsDegenerate
{
    public override string Id => "cooper.3.2-without-sigma0";
    protected override string Theorem => "Theorem 3.2 without the hypothesis σ(0) = 0";
    public override string Statement => "the Hessian on the core locus is 2N·I_m on b_ℓ and 0 elsewhere, for any smooth σ (hypothesis σ(0) = 0 dropped)";
    protected override bool RequiresSigmaZero => false;
    public override Expectation Expected => Expectation.KnownFalse;
    protected override Gen<Activation> Activations => Gen.Elements<Activation>(Activation.Sigmoid, new Softplus(1), Activation.Tanh);
}

/// <summary>
/// C-3.2 as the paper words it: "the Hessian has one positive eigenvalue". True for m = 1, false for m ≥ 2
/// (it has m). Kept in the catalog so that the gap is recorded and its counterexample found.
/// </summary>
public sealed class CoreLocusLiteral : CoreLocusIsDegenerate
{
    public override string Id => "cooper.3.2-literal";
    protected override string Theorem => "Theorem 3.2 as stated (one positive eigenvalue)";
    public override string Statement => "at every point of the core locus the Hessian has exactly one positive eigenvalue, the rest zero";
    public override Expectation Expected => Expectation.KnownFalse;

    protected override Verdict Judge(ClaimInstance c, AffineLocus locus, Inertia inertia, int m, int parameters, CertificateFacts facts)
    {
        var evidence = new JsonObject { ["locus"] = locus.Name, ["outputs"] = m, ["inertia"] = inertia.ToString() };
        return inertia == new Inertia(1, 0, parameters - 1)
            ? Verdict.Certified($"inertia {inertia}: one positive eigenvalue on all of {locus.Name}", evidence, facts)
            : Verdict.Refuted($"with m = {m} outputs the Hessian on {locus.Name} has inertia {inertia}: {inertia.Positive} positive eigenvalues (each 2N = {2 * c.Spec.SampleCount}), not one", evidence, facts);
    }
}

/// <summary>
/// C-5.15/5.16 (reconstructed) at the star locus: at a critical point, with r the rank of the augmented
/// feature matrix [Φ; 1ᵀ] of the last hidden layer, the Hessian has at least m(n_{ℓ−1} + 1 − r) zero
/// eigenvalues. On S_j the features are the same for every input (W_j = 0), so r = 1, and the bound is m·n_{ℓ−1}.
/// Decided, in this order: exact inertia where the Hessian is rational; independent null vectors with H v = 0
/// identically in the ring (identically zero rows, and the flat directions V_ℓ[o,k] = 1, b_ℓ[o] = −φ_k where they are
/// null); a rank bound on the whole locus from a Schwartz–Zippel grid; a refutation at a concrete point (exact inertia,
/// or a rank bound by interval elimination); otherwise inconclusive.
/// Finding: the reconstruction is false at saddles. The loss is constant along those directions, so vᵀHv = 0,
/// but H v = 0 only follows when H ⪰ 0 (at minima); `vl check cooper.5.16` finds star points with fewer zero
/// eigenvalues than the bound (smallest: widths 2-1-2, identity, N = 3).
/// </summary>
public sealed class ZeroEigenvalueBound : CooperLocusClaim
{
    public override string Id => "cooper.5.16";
    protected override string Theorem => "Lemmas 5.15–5.16 (reconstructed), at star points and at global minima";
    public override Expectation Expected => Expectation.KnownFalse;
    public override string Statement => "at a critical point the Hessian has at least m(n_{ℓ−1} + 1 − rank[Φ; 1ᵀ]) zero eigenvalues";
    protected override int LocusIndices => 1;
    protected override bool RequiresSigmaZero => false;
    protected override Gen<Activation> Activations => Gen.Elements<Activation>(Activation.Tanh, Activation.Sigmoid, Activation.Swish, new Softplus(1), Activation.Identity);

    public override IReadOnlyList<string> LocusKinds => ["star", "global-min"];

    protected override Verdict Decide(ClaimInstance c)
    {
        if (c.Construction == "global-min") return AtGlobalMinimum(c);
        var net = c.Spec;
        var layout = net.Layout;
        var locus = LocusOf(c);
        var d = new NetworkDerivatives<Sym>(net, Point.GenericPoint(locus, layout).Values);
        if (d.Gradient.Any(g => !g.IsZero)) return Verdict.OutOfHypotheses($"the generic point of {locus.Name} is not proved critical");
        int l = net.Depth, m = net.OutputWidth, h = net.Widths[l - 1];
        var phi = d.Activations(l - 1, 0);
        for (int i = 1; i < net.SampleCount; i++)
            if (!d.Activations(l - 1, i).SequenceEqual(phi))
                return Verdict.Inconclusive("the features differ between inputs here; only the star-locus case (identical features, rank 1) is implemented");
        int bound = m * h; // m (n_{ℓ−1} + 1 − r) with r = 1
        // Where the locus is a single point (or the Hessian is rational on it), decide by exact inertia.
        var hessian = d.Hessian();
        if (ExactDerivation.ToRational(hessian, out _) is { } rational)
        {
            var inertia = ExactLinearAlgebra.InertiaOf(rational);
            var evidence = new JsonObject { ["locus"] = locus.Name, ["augmentedFeatureRank"] = 1, ["bound"] = bound, ["inertia"] = inertia.ToString() };
            var facts = new HessianOnLocus(locus, layout, rational);
            return inertia.Zero >= bound
                ? Verdict.Certified($"inertia {inertia} on all of {locus.Name}: {inertia.Zero} zero eigenvalues ≥ m(n_ℓ−1 + 1 − r) = {bound}", evidence, facts)
                : Verdict.Refuted($"the Hessian on {locus.Name} has inertia {inertia}: {inertia.Zero} zero eigenvalues, fewer than m(n_ℓ−1 + 1 − r) = {bound} (r = 1): the loss is constant along {bound} directions, but the point is a saddle, so those directions need not be null", evidence, facts);
        }
        // Otherwise exhibit independent null vectors, each checked H v = 0 identically in the ring (vᵀHv = 0 alone is not
        // enough): e_q for every parameter whose Hessian row is identically 0, and v = e(W_ℓ[o,k]) − φ_k e(b_ℓ[o]) (which
        // keeps every output W_ℓφ + b_ℓ fixed) for every W_ℓ entry whose row is not 0. Independent: each v has its own
        // W_ℓ entry, which no other vector in the family touches.
        int p = layout.Count;
        var zeroRow = Enumerable.Range(0, p).Select(i => Enumerable.Range(0, p).All(j => hessian[i, j].IsZero)).ToArray();
        int zeroRows = zeroRow.Count(z => z), passing = 0;
        var flat = new List<string>();
        string? notNull = null;
        for (int o = 0; o < m; o++)
            for (int k = 0; k < h; k++)
            {
                int w = layout.Weight(l, o, k), b = layout.BiasIndex(l, o);
                if (zeroRow[w]) continue;
                var failure = Enumerable.Range(0, p).Select(q => (q, entry: hessian[q, w] - phi[k] * hessian[q, b])).FirstOrDefault(x => !x.entry.IsZero);
                if (failure.entry.IsZero) { passing++; flat.Add(layout.Name(w)); }
                else notNull ??= $"the candidate null vector for {layout.Name(w)} gives (H v)[{layout.Name(failure.q)}] = {failure.entry}";
            }
        if (zeroRows + passing >= bound)
            return Verdict.Certified($"on all of {locus.Name}: {zeroRows} identically zero rows of the Hessian and {passing} vectors e(W_ℓ[o,k]) − φ_k e(b_ℓ[o]) with H v = 0 identically in the ring give {zeroRows + passing} independent null vectors ≥ m(n_ℓ−1 + 1 − r) = {bound} (r = 1, identical features)",
                new JsonObject
                {
                    ["locus"] = locus.Name, ["augmentedFeatureRank"] = 1, ["bound"] = bound,
                    ["zeroRows"] = new JsonArray(Enumerable.Range(0, p).Where(i => zeroRow[i]).Select(i => (JsonNode)layout.Name(i)).ToArray()),
                    ["flatDirections"] = new JsonArray(flat.Select(n => (JsonNode)n).ToArray()),
                },
                new NullVectorsOnLocus(locus, layout, Enumerable.Range(0, p).Where(i => zeroRow[i]).Select(layout.Name).ToList(), flat));
        notNull ??= $"only {zeroRows + passing} null vectors were exhibited";
        return ByGenericRank(net, locus, hessian, bound, notNull) ?? AtConcretePoints(net, locus, bound, notNull);
    }

    public const int GridBudget = 2000;

    /// <summary>
    /// The Hessian on the locus is a polynomial matrix in d symbols x_1..x_d (free parameters, and atoms such as
    /// tanh(b1[0]) or log 2, taken as independent variables). If its largest rank over a grid S_1 × … × S_d is r, and
    /// every (r+1)-minor has degree ≤ K_i in x_i with |S_i| &gt; K_i, then every (r+1)-minor vanishes on the grid and so is
    /// the zero polynomial (a polynomial of degree ≤ K_i in each x_i that vanishes on such a grid is 0: induction on
    /// the variables), so rank H ≤ r for all values, the atoms' true values included: H has ≥ P − r zero eigenvalues on
    /// the whole locus. K_i = the sum of the r+1 largest row degrees of x_i (a minor takes one entry per row). Without
    /// atoms the grid point of rank r is a real point of the locus with exactly P − r zero eigenvalues, so the answer is
    /// then also a refutation when P − r &lt; bound. Null when the grid would exceed <see cref="GridBudget"/> points, or
    /// when atoms occur and P − r &lt; bound.
    /// </summary>
    private static Verdict? ByGenericRank(NetworkSpec net, AffineLocus locus, Sym[,] hessian, int bound, string notNull)
    {
        int p = hessian.GetLength(0);
        var symbols = hessian.Cast<Sym>().SelectMany(e => e.MentionedSymbols()).Distinct().ToList();
        if (symbols.Count == 0) return null;
        bool atoms = symbols.Any(x => x.IsAtom);
        int d = symbols.Count;
        // rowDegree[i][row]: the largest degree of x_i in any entry of that row, sorted in decreasing order.
        var rowDegree = symbols.Select(x => Enumerable.Range(0, p)
            .Select(row => Enumerable.Range(0, p).Max(col => DegreeIn(hessian[row, col], x.Id))).OrderDescending().ToArray()).ToArray();
        int[] Sizes(int rank) => rowDegree.Select(degrees => degrees.Take(rank + 1).Sum() + 1).ToArray();
        int rank = 0;
        Rational[,]? witnessMatrix = null;
        int[]? witness = null;
        int[] sizes;
        while (true)
        {
            sizes = Sizes(rank);
            if (sizes.Aggregate(1.0, (a, g) => a * g) > GridBudget) return null;
            int best = -1;
            foreach (var node in Grid(sizes))
            {
                var values = symbols.Select((x, i) => (x.Id, Value: (Rational)node[i])).ToDictionary(v => v.Id, v => v.Value);
                var m = new Rational[p, p];
                for (int i = 0; i < p; i++)
                    for (int j = 0; j < p; j++) m[i, j] = Evaluate(hessian[i, j], values);
                int r = ExactLinearAlgebra.Rank(m);
                if (r > best) (best, witness, witnessMatrix) = (r, node, m);
            }
            if (best <= rank) break;
            rank = best;
        }
        string how = $"rank H ≤ {rank} on all of {locus.Name} (the largest rank on a grid of {string.Join("×", sizes)} points in the {d} symbols {(atoms ? "(parameters and atoms) " : "")}of its entries, each more than a minor's degree in it)";
        var facts = new JsonObject { ["locus"] = locus.Name, ["augmentedFeatureRank"] = 1, ["bound"] = bound, ["rankUpperBound"] = rank };
        if (p - rank >= bound) return Verdict.Certified($"{how}, so at least {p - rank} ≥ m(n_ℓ−1 + 1 − r) = {bound} zero eigenvalues everywhere on it", facts);
        if (atoms) return null;
        var point = locus.ConcretePoint(1);
        foreach (var (x, v) in symbols.Zip(witness!))
            point[net.Layout.TryIndexOf(x.Name, out int index) ? index : throw new InvalidOperationException($"{x.Name} is not a parameter")] = v;
        var inertia = ExactLinearAlgebra.InertiaOf(witnessMatrix!);
        facts["point"] = Evidence.Point(net.Layout, point);
        facts["inertia"] = inertia.ToString();
        return Verdict.Refuted($"at a point of {locus.Name} (critical, as all of it is) the Hessian has inertia {inertia}: {p - rank} zero eigenvalues, fewer than m(n_ℓ−1 + 1 − r) = {bound} (r = 1); the loss is constant along {bound} directions, but {notNull}", facts);
    }

    /// <summary>The degree of one symbol in a polynomial.</summary>
    private static int DegreeIn(Sym polynomial, int symbol)
    {
        int degree = 0;
        foreach (var (monomial, _) in polynomial.Terms)
            for (int i = 0; i < monomial.Count; i++)
                if (monomial.SymbolAt(i) == symbol) degree = Math.Max(degree, monomial.ExponentAt(i));
        return degree;
    }

    /// <summary>A polynomial's value with every symbol (parameter or atom) given a rational value.</summary>
    private static Rational Evaluate(Sym polynomial, Dictionary<int, Rational> values)
    {
        Rational sum = 0;
        foreach (var (monomial, coefficient) in polynomial.Terms)
        {
            var term = coefficient;
            for (int i = 0; i < monomial.Count; i++) term *= Rational.Pow(values[monomial.SymbolAt(i)], monomial.ExponentAt(i));
            sum += term;
        }
        return sum;
    }

    private static IEnumerable<int[]> Grid(int[] sizes)
    {
        var node = new int[sizes.Length];
        while (true)
        {
            Budgets.Budget.Check();
            yield return (int[])node.Clone();
            int k = 0;
            while (k < sizes.Length && ++node[k] == sizes[k]) node[k++] = 0;
            if (k == sizes.Length) yield break;
        }
    }

    /// <summary>
    /// The null vectors fail somewhere on the locus, so look for a point of it (every point is critical) with fewer than
    /// `bound` zero eigenvalues: at a few concrete rational points, exact inertia when the Hessian is rational there, else
    /// a rigorous lower bound on rank H from interval Gaussian elimination (pivots that exclude 0 give a non-singular
    /// minor): rank H ≥ r means at most P − r zero eigenvalues.
    /// </summary>
    private static Verdict AtConcretePoints(NetworkSpec net, AffineLocus locus, int bound, string notNull)
    {
        int p = net.Layout.Count;
        for (int seed = 1; seed <= 3; seed++)
        {
            var point = locus.ConcretePoint(seed);
            var facts = new JsonObject { ["locus"] = locus.Name, ["augmentedFeatureRank"] = 1, ["bound"] = bound, ["point"] = Evidence.Point(net.Layout, point) };
            int zeroAtMost;
            string how;
            try
            {
                var inertia = ExactLinearAlgebra.InertiaOf(new NetworkDerivatives<Rational>(net, point).Hessian());
                (zeroAtMost, how) = (inertia.Zero, $"exact inertia {inertia}");
                facts["inertia"] = inertia.ToString();
            }
            catch (NotExactException)
            {
                var enclosure = new NetworkDerivatives<Interval>(net, point.Select(Interval.FromRational).ToArray()).Hessian();
                int rank = IntervalElimination.RankLowerBound(enclosure);
                (zeroAtMost, how) = (p - rank, $"rank H ≥ {rank} by interval elimination");
                facts["rankLowerBound"] = rank;
            }
            if (zeroAtMost < bound)
                return Verdict.Refuted($"at a point of {locus.Name} (critical, as all of it is): {how}, so at most {zeroAtMost} zero eigenvalues, fewer than m(n_ℓ−1 + 1 − r) = {bound} (r = 1); the loss is constant along {bound} directions, but {notNull}", facts);
        }
        return Verdict.Inconclusive($"on {locus.Name} {notNull}, not identically 0, so the {bound} zero eigenvalues are not proved for the whole locus; no counterexample at three concrete points either");
    }

    /// <summary>
    /// At a global minimum built exactly (<see cref="FibreClaim.BuildGlobalMinimum"/>): r = rank [Φ; 1ᵀ] exactly,
    /// bound m(n_{ℓ−1} + 1 − r), zero eigenvalues counted by exact inertia. Here H = 2JᵀJ ⪰ 0, so the directions
    /// along which L is constant are null directions of H, and the bound should hold.
    /// </summary>
    private static Verdict AtGlobalMinimum(ClaimInstance c)
    {
        var net = c.Spec;
        Rational[] theta;
        Rational[,] a;
        ExactDerivation d;
        try
        {
            if (FibreClaim.BuildGlobalMinimum(c, out var why) is not { } built) return Verdict.OutOfHypotheses(why);
            (theta, a) = built;
            d = ExactDerivation.Compute(net, new Point($"global-min:{c.Seed}", theta.Select(q => (Sym)q).ToArray(), null), hessian: true);
        }
        catch (NonSmoothPointException e) { return Verdict.OutOfHypotheses("not smooth at the point: " + e.Message); }
        if (d.Gradient.Any(g => !g.IsZero)) return Verdict.Refuted("the constructed global minimum is not critical (construction error)", []);
        int r = ExactLinearAlgebra.Rank(a), bound = net.OutputWidth * (net.Widths[net.Depth - 1] + 1 - r);
        var inertia = d.Inertia!.Value;
        var evidence = new JsonObject { ["point"] = Evidence.Point(net.Layout, theta), ["augmentedFeatureRank"] = r, ["bound"] = bound, ["inertia"] = inertia.ToString() };
        var facts = new FactsAtPoint(net.Layout, theta, d.Loss.Constant, ExactDerivation.ToRational(d.Hessian!, out _)!, r);
        return inertia.Zero >= bound
            ? Verdict.Certified($"at the global minimum built from seed {c.Seed}: rank [Φ; 1ᵀ] = {r}, inertia {inertia}: {inertia.Zero} zero eigenvalues ≥ m(n_ℓ−1 + 1 − r) = {bound}", evidence, facts)
            : Verdict.Refuted($"at the global minimum built from seed {c.Seed}: inertia {inertia}, {inertia.Zero} zero eigenvalues < m(n_ℓ−1 + 1 − r) = {bound}", evidence, facts);
    }
}

/// <summary>
/// C-dim: dim S_j = P − m(n_{ℓ−1}+1) − n_j n_{j−1} − Σ_{k=j}^{ℓ−1} n_k, and likewise for C_{i,j},
/// checked against P − rank of the locus's linear constraints, computed exactly. Also: S is
/// positive-dimensional once ℓ ≥ 3, C once ℓ ≥ 4.
/// </summary>
public sealed class LocusDimension : CooperLocusClaim
{
    public override string Id => "cooper.dim";
    protected override string Theorem => "dimension formulas (§3)";
    public override string Statement => "dim S_j and dim C_{i,j} equal the closed formulas; S is positive-dimensional for ℓ ≥ 3, C for ℓ ≥ 4";
    protected override int LocusIndices => 2;
    public override IReadOnlyList<Hypothesis> Hypotheses => [SettingHypotheses.Biases("the loci fix b_ℓ = ȳ"), CooperHypotheses.CoreLocus];

    public static int Formula(NetworkSpec s, IReadOnlyList<int> indices)
    {
        int[] n = s.Widths;
        int l = s.Depth, m = s.OutputWidth;
        int dim = s.ParameterCount - m * (n[l - 1] + 1);
        foreach (var j in indices) dim -= n[j] * n[j - 1];
        for (int k = indices.Min(); k <= l - 1; k++) dim -= n[k];
        return dim;
    }

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        var dimensions = new List<(string Name, int Rank, int Formula)>();
        LocusDimensions Facts() => new(CooperLoci.Core(s, c.Locus), s.Layout, dimensions);
        foreach (var indices in new[] { new[] { c.Locus[0] }, new[] { c.Locus[1] }, c.Locus })
        {
            var locus = CooperLoci.Core(s, indices);
            // Each constraint fixes one coordinate: the constraint matrix has one row e_p per fixed p.
            var constraints = new Rational[locus.Fixed.Count, s.ParameterCount];
            int row = 0;
            foreach (var p in locus.Fixed.Keys) constraints[row++, p] = 1;
            int byRank = s.ParameterCount - ExactLinearAlgebra.Rank(constraints);
            int byFormula = Formula(s, indices);
            dimensions.Add((locus.Name, byRank, byFormula));
            if (byRank != byFormula) return Verdict.Refuted($"dim {locus.Name}: formula {byFormula}, exact rank gives {byRank}", Facts().DimensionsJson(), Facts());
            bool shouldBePositive = indices.Length == 1 ? s.Depth >= 3 : s.Depth >= 4;
            if (shouldBePositive && byRank <= 0) return Verdict.Refuted($"{locus.Name} has dimension {byRank} although ℓ = {s.Depth}", Facts().DimensionsJson(), Facts());
        }
        return Verdict.Certified($"dimensions agree with the formulas (exact rank of the constraints): {string.Join(", ", dimensions.Select(d => $"{d.Name} = {d.Rank}"))}", Facts().DimensionsJson(), Facts());
    }
}
