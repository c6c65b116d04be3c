using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims.Milne;

/// <summary>
/// M-L7 for one-hidden-layer linear networks with scalar input and output (widths 1-n-1, no biases): ℓ_λ has no
/// non-zero critical point in U(λ). Decided by a branch-and-bound whose boxes all carry a checked reason.
///
/// Reduction (the hidden layer's rotation symmetry): with w = W1 (n×1), v = W2ᵀ, p = vᵀw, s = ‖w‖² + ‖v‖²,
///   ℓ = A p² − 2B p + C  (A = Σx²/2N, B = Σxy/2N, C = Σy²/2N),   ℓ_λ = ℓ(p) + (λ/2) s,
///   ∇_w ℓ_λ = ℓ'(p) v + λ w,  ∇_v ℓ_λ = ℓ'(p) w + λ v,   so   ‖∇ℓ_λ‖² = (ℓ'(p)² + λ²) s + 4λ ℓ'(p) p =: G(p, s),
/// and every W maps to (p, s) with s ≥ 2|p|. Critical points lie in the a-priori ball s ≤ R² = 2·Σy²/(4Nλ) (THEOREMS.md,
/// H = 1). U(λ) (H = 1) is ℓ &lt; λ²/(16 r²). The domain [−R²/2, R²/2] × [0, R²] is split in halves, and each leaf box is
/// excluded for one reason, checked in exact rational interval arithmetic (everything here is a polynomial):
///   "infeasible"  s_hi &lt; 2·min|p| on the box: no W maps there;
///   "gradient"    G &gt; 0 on the box (a lower bound of G is positive);
///   "outside-U"   16 r² ℓ(p) ≥ λ² on the box;
///   "origin"      s_hi ≤ ε with |ℓ'(p)| &lt; λ on the box: there ∇²ℓ_λ ⪰ (λ − |ℓ'|) I ≻ 0 on the ball s ≤ ε (ℓ'' ≥ 0 and
///                 ∇²p has eigenvalues ±1), so ℓ_λ is strictly convex there and the origin is its only critical point.
/// The leaves are named by their split path from the root, so the checker can verify that they tile the domain.
/// Every other linear architecture (e.g. 2-3-1, 1-2-2-1) goes to <see cref="BalancedLemma7"/>, which reduces the
/// critical-point equations to one polynomial in t = σ²; <see cref="GenericLemma7"/> is a reduction-free search kept
/// as an independent cross-check.
/// </summary>
public sealed class MilneLemma7 : Claim
{
    public override string Id => "milne.lemma7";
    public override string Source => "Milne (000), Lemma 7";
    public override string Statement => "a regularised linear network has no non-zero critical point in U(λ)";
    /// <summary>Lemma 7's hypotheses, also what every method of deciding it (box, balanced, generic) requires.</summary>
    public static readonly IReadOnlyList<Hypothesis> Setting =
        [.. MilneHypotheses.Setting, MilneHypotheses.Linear, SettingHypotheses.PositiveWeightDecay, MilneHypotheses.WideHiddenLayers];
    public override IReadOnlyList<Hypothesis> Hypotheses => Setting;
    public override IReadOnlyList<string> LocusKinds => ["ball"];

    public const int MaxDepth = 40;

    /// <summary>Whether the (p, s) reduction applies: widths 1-n-1 (the claim's hypotheses already hold).</summary>
    private static bool IsOneNOne(NetworkSpec s) => s.Depth == 2 && s.InputWidth == 1;

    /// <summary>The instance's constants: A, B, C, λ, r², R².</summary>
    public sealed record Constants(Rational A, Rational B, Rational C, Rational Lambda, Rational RadiusSquared, Rational BallSquared)
    {
        /// <summary>From the data's moments (input width 1): A = Σ/2, B = b/2, C = c₀, R² = 2·T (H = 1).</summary>
        public static Constants Of(NetworkSpec s)
        {
            var m = BalancedLemma7.MomentsOf(s);
            return new Constants(m.Sigma[0, 0] / 2, m.B[0] / 2, m.C0, s.WeightDecay, m.RadiusSquared, 2 * m.T);
        }
    }

    /// <summary>The reason a box [p] × [s] holds no non-zero critical point in U(λ), or null.</summary>
    public static string? Exclude(Constants k, RationalInterval p, RationalInterval s, Rational epsilon)
    {
        if (s.Hi < 2 * p.MinAbs) return "infeasible";
        if (GradientNormLowerBound(k, p, s).Sign > 0) return "gradient";
        if (16 * k.RadiusSquared * LossMinimum(k, p) >= k.Lambda * k.Lambda) return "outside-U";
        if (epsilon.Sign > 0 && s.Hi <= epsilon) return "origin";
        return null;
    }

    /// <summary>min ℓ over [p]: ℓ = A p² − 2B p + C is convex (A ≥ 0), so the minimum is at B/A clamped to the interval.</summary>
    public static Rational LossMinimum(Constants k, RationalInterval p)
    {
        var at = k.A.IsZero ? (k.B.Sign >= 0 ? p.Hi : p.Lo) : k.B / k.A;
        if (at < p.Lo) at = p.Lo;
        if (at > p.Hi) at = p.Hi;
        return k.A * at * at - 2 * k.B * at + k.C;
    }

    /// <summary>
    /// A lower bound of G(p, s) = (ℓ'(p)² + λ²) s + 4λ ℓ'(p) p on the box. G increases with s, so s = s_lo; then the better
    /// of the interval form and the mean-value form g(p_mid) − (Δp/2)·max|∂g/∂p| (which converges quadratically, and so
    /// excludes boxes near the critical set at a moderate depth), ∂g/∂p = 4A s ℓ' + 8λA p + 4λ ℓ'.
    /// </summary>
    public static Rational GradientNormLowerBound(Constants k, RationalInterval p, RationalInterval s)
    {
        var lambda = k.Lambda;
        var d = new RationalInterval(2 * k.A * p.Lo - 2 * k.B, 2 * k.A * p.Hi - 2 * k.B); // ℓ' is increasing in p
        var intervalForm = (d.Square() + RationalInterval.Of(lambda * lambda)) * RationalInterval.Of(s.Lo) + (4 * lambda) * (d * p);
        var mid = (p.Lo + p.Hi) / 2;
        var dm = 2 * k.A * mid - 2 * k.B;
        var g = (dm * dm + lambda * lambda) * s.Lo + 4 * lambda * dm * mid;
        var slope = 4 * k.A * s.Lo * d.MaxAbs + 8 * lambda * k.A * p.MaxAbs + 4 * lambda * d.MaxAbs;
        var meanValue = g - (p.Hi - p.Lo) / 2 * slope;
        return intervalForm.Lo > meanValue ? intervalForm.Lo : meanValue;
    }

    /// <summary>The box of a split path: 'L'/'R' halves, splitting p at even depths and s at odd ones.</summary>
    public static (RationalInterval P, RationalInterval S) BoxOf(Constants k, string path)
    {
        var p = new RationalInterval(-k.BallSquared / 2, k.BallSquared / 2);
        var s = new RationalInterval(0, k.BallSquared);
        for (int i = 0; i < path.Length; i++)
        {
            ref RationalInterval r = ref (i % 2 == 0 ? ref p : ref s);
            var mid = (r.Lo + r.Hi) / 2;
            r = path[i] == 'L' ? new RationalInterval(r.Lo, mid) : new RationalInterval(mid, r.Hi);
        }
        return (p, s);
    }

    /// <summary>
    /// ε for the origin reason: on the ball s ≤ ε, |p| ≤ ε/2 and |ℓ'(p)| ≤ A ε + 2|B|, which must stay below λ;
    /// ε = (λ − 2|B|)/(2A) gives A ε + 2|B| = (λ + 2|B|)/2 &lt; λ. 0 (no such ball) when 2|B| ≥ λ.
    /// </summary>
    public static Rational Epsilon(Constants k)
    {
        var room = k.Lambda - 2 * k.B.Abs();
        if (room.Sign <= 0) return Rational.Zero;
        if (k.A.IsZero) return k.BallSquared;
        var eps = room / (2 * k.A);
        return eps < k.BallSquared ? eps : k.BallSquared;
    }

    public sealed record Search(List<Lemma7Leaf> Leaves, List<string> Left, Rational Epsilon);

    public static Search BranchAndBound(Constants k, int maxLeaves = 200000)
    {
        var eps = Epsilon(k);
        var leaves = new List<Lemma7Leaf>();
        var left = new List<string>();
        var stack = new Stack<string>();
        stack.Push("");
        while (stack.Count > 0)
        {
            Budgets.Budget.Check();
            var path = stack.Pop();
            var (p, s) = BoxOf(k, path);
            if (Exclude(k, p, s, eps) is { } reason) { leaves.Add(new(path, reason)); continue; }
            if (path.Length >= MaxDepth || leaves.Count + stack.Count > maxLeaves) { left.Add(path); continue; }
            stack.Push(path + "R");
            stack.Push(path + "L");
        }
        return new Search(leaves, left, eps);
    }

    protected override Verdict Decide(ClaimInstance c)
    {
        if (!IsOneNOne(c.Spec))
            return BalancedLemma7.Applies(c.Spec) is { } no ? Verdict.OutOfHypotheses(no) : BalancedLemma7.Decide(c.Spec);
        var k = Constants.Of(c.Spec);
        if (k.BallSquared.IsZero) return BalancedLemma7.Decide(c.Spec); // f ≡ 0: the (p, s) domain is a point; t = 0 is decided there
        var search = BranchAndBound(k);
        var counts = search.Leaves.GroupBy(l => l.Reason).ToDictionary(g => g.Key, g => g.Count());
        var evidence = new JsonObject
        {
            ["reduction"] = "p = vᵀw, s = ‖w‖² + ‖v‖², ‖∇ℓ_λ‖² = (ℓ'(p)² + λ²) s + 4λℓ'(p)p",
            ["A"] = k.A.ToString(), ["B"] = k.B.ToString(), ["C"] = k.C.ToString(), ["lambda"] = k.Lambda.ToString(),
            ["radiusSquared"] = k.RadiusSquared.ToString(), ["ballSquared"] = k.BallSquared.ToString(), ["epsilon"] = search.Epsilon.ToString(),
            ["boxes"] = search.Leaves.Count, ["reasons"] = new JsonObject(counts.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["leaves"] = Lemma7Leaf.ToJson(search.Leaves),
        };
        if (search.Left.Count > 0)
            return Verdict.Inconclusive($"{search.Left.Count} boxes could not be excluded down to depth {MaxDepth} (e.g. {string.Join("; ", search.Left.Take(3).Select(b => Describe(k, b)))})");
        return Verdict.Certified($"the ball s ≤ R² = {k.BallSquared} is tiled by {search.Leaves.Count} boxes in (p, s), each excluded ({string.Join(", ", counts.Select(kv => $"{kv.Value} {kv.Key}"))}): no non-zero critical point in U(λ)", evidence,
            new Lemma7BoxFacts(k, search.Epsilon, search.Leaves));
    }

    private static string Describe(Constants k, string path)
    {
        var (p, s) = BoxOf(k, path);
        return $"p ∈ [{p.Lo.ToDouble():G4}, {p.Hi.ToDouble():G4}], s ∈ [{s.Lo.ToDouble():G4}, {s.Hi.ToDouble():G4}]";
    }

    /// <summary>
    /// The instance as SMT-LIB2 (QF_NRA), for any linear network without biases, in the factored form a solver handles
    /// best (macros for the chain products, as one would write it by hand): with a_k = W_L⋯W_{k+1} (a row), β = a_0,
    /// g = Σβ − b and c_k = W_k⋯W_1 g, the critical-point equations are a_k[i]·c_{k−1}[j] + λW_k[i,j] = 0; then W ≠ 0 and
    /// W in U(λ), with ℓ = ½βᵀΣβ − bᵀβ + c₀. For H ≥ 2 the operator norm is replaced by its lower bounds (every row and
    /// column norm of every layer): ℓ·q^{H−1} &lt; (λ/2H(H+1)r)² for each such q², a superset of U(λ), so "unsat" still
    /// proves the claim. Expected answer: unsat.
    /// </summary>
    public override string? SmtLib(ClaimInstance instance, out string why)
    {
        why = GenericLemma7.Applies(instance.Spec) ?? "";
        return why.Length == 0 ? SmtLib(instance.Spec) : null;
    }

    public static string SmtLib(NetworkSpec s)
    {
        if (GenericLemma7.Applies(s) is { } why) throw new ArgumentException(why);
        var layout = s.Layout;
        int h = MilneSetting.HiddenLayers(s), depth = s.Depth, n0 = s.InputWidth;
        var m = BalancedLemma7.MomentsOf(s);
        string Q(Rational q) => q.Sign < 0 ? $"(- {Q(-q)})" : q.IsInteger ? $"{q.Numerator}.0" : $"(/ {q.Numerator}.0 {q.Denominator}.0)";
        string W(int k, int i, int j) => $"w{layout.Weight(k, i, j)}";
        string Sum(IEnumerable<string> terms) => "(+ 0.0 " + string.Join(" ", terms) + ")";
        var sb = new StringBuilder();
        sb.AppendLine($"; milne.lemma7: widths {string.Join("-", s.Widths)} linear, no biases, N = {s.SampleCount}, λ = {s.WeightDecay}. Expected: unsat.");
        sb.AppendLine("(set-logic QF_NRA)");
        for (int p = 0; p < layout.Count; p++) sb.AppendLine($"(declare-fun w{p} () Real) ; {layout.Name(p)}");
        sb.AppendLine($"(define-fun a{depth}_0 () Real 1.0)");
        for (int k = depth - 1; k >= 0; k--) // a_k = a_{k+1} W_{k+1}
            for (int i = 0; i < s.Widths[k]; i++)
                sb.AppendLine($"(define-fun a{k}_{i} () Real {Sum(Enumerable.Range(0, s.Widths[k + 1]).Select(r => $"(* a{k + 1}_{r} {W(k + 1, r, i)})"))})");
        for (int j = 0; j < n0; j++) // g = Σβ − b, β = a_0; c_0 = g
            sb.AppendLine($"(define-fun c0_{j} () Real (- {Sum(Enumerable.Range(0, n0).Select(l => $"(* {Q(m.Sigma[j, l])} a0_{l})"))} {Q(m.B[j])}))");
        for (int k = 1; k < depth; k++) // c_k = W_k c_{k−1}
            for (int i = 0; i < s.Widths[k]; i++)
                sb.AppendLine($"(define-fun c{k}_{i} () Real {Sum(Enumerable.Range(0, s.Widths[k - 1]).Select(j => $"(* {W(k, i, j)} c{k - 1}_{j})"))})");
        for (int k = 1; k <= depth; k++)
            for (int i = 0; i < s.Widths[k]; i++)
                for (int j = 0; j < s.Widths[k - 1]; j++)
                    sb.AppendLine($"(assert (= (+ (* a{k}_{i} c{k - 1}_{j}) (* {Q(s.WeightDecay)} {W(k, i, j)})) 0.0))");
        sb.AppendLine($"(assert (> {Sum(Enumerable.Range(0, layout.Count).Select(p => $"(* w{p} w{p})"))} 0.0))");
        var quadratic = Enumerable.Range(0, n0).SelectMany(j => Enumerable.Range(0, n0).Select(l => $"(* {Q(m.Sigma[j, l] / 2)} a0_{j} a0_{l})"));
        sb.AppendLine($"(define-fun ell () Real {Sum(quadratic.Concat(Enumerable.Range(0, n0).Select(j => $"(* {Q(-m.B[j])} a0_{j})")).Append(Q(m.C0)))})");
        var bound = Q(4 * h * h * (h + 1) * (h + 1) * m.RadiusSquared); // U(λ): bound · ℓ · ‖W‖_*^{2(H−1)} < λ²
        var lambda2 = Q(s.WeightDecay * s.WeightDecay);
        if (h == 1) sb.AppendLine($"(assert (< (* {bound} ell) {lambda2}))");
        else
            for (int k = 1; k <= depth; k++)
            {
                var lines = Enumerable.Range(0, s.Widths[k]).Select(i => Enumerable.Range(0, s.Widths[k - 1]).Select(j => W(k, i, j)))
                    .Concat(Enumerable.Range(0, s.Widths[k - 1]).Select(j => Enumerable.Range(0, s.Widths[k]).Select(i => W(k, i, j))));
                foreach (var line in lines)
                {
                    var q2 = Sum(line.Select(w => $"(* {w} {w})"));
                    sb.AppendLine($"(assert (< (* {bound} ell {string.Join(" ", Enumerable.Repeat(q2, h - 1))}) {lambda2}))");
                }
            }
        sb.AppendLine("(check-sat)");
        return sb.ToString();
    }

    /// <summary>
    /// Random instances: half 1-n-1 (the (p, s) reduction), half other linear shapes n0-n1-1 and 1-n1-n2-1 (the balanced
    /// reduction), inputs of small rationals, a linear target, λ ∈ {0.4, 0.1, 0.02}.
    /// </summary>
    public override Gen<ClaimInstance> Generator =>
        from shape in Gen.Elements(0, 0, 1, 2)
        from n in Gen.Choose(2, 8)
        from m in Gen.Choose(2, 3)
        from n0 in Gen.Choose(1, 3)
        from count in Gen.Choose(2, 12)
        from xs in Gen.ArrayOf(Gen.ArrayOf(Testing.NetworkCases.SmallRational, 3), count)
        from slope in Gen.ArrayOf(Gen.Elements(Rational.Create(1, 4), Rational.Create(-1, 2), Rational.One, Rational.Zero), 3)
        from lambda in Gen.Elements(Rational.Create(2, 5), Rational.Create(1, 10), Rational.Create(1, 50))
        let widths = shape switch { 0 => new[] { 1, n, 1 }, 1 => [n0, m, 1], _ => [1, m, Math.Min(n, 3), 1] }
        let inputs = xs.Select(x => x[..widths[0]]).ToArray()
        select new ClaimInstance(Id, new NetworkSpec
        {
            Widths = widths, HiddenActivations = Enumerable.Repeat<Activation>(Activation.Identity, widths.Length - 2).ToArray(),
            OutputActivation = Activation.Identity, Bias = false, Loss = LossKind.HalfMse, WeightDecay = lambda, X = inputs,
            Y = inputs.Select(x => new[] { x.Zip(slope).Aggregate(Rational.Zero, (sum, p) => sum + p.First * p.Second) }).ToArray(),
        }, [0], Construction: "ball");

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance) => [];
}
