using System.Text.Json.Nodes;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Scalars;
using Interval = VerifyLandscape.Intervals.Interval;

namespace VerifyLandscape.Claims.Milne;

/// <summary>
/// M-L7 for linear networks outside the 1-n-1 reduction (e.g. 2-3-1, 1-2-2-1): a plain interval branch-and-bound in the
/// full weight space over the cube that contains the a-priori ball ‖W‖² ≤ (H+1)Σy²/(4Nλ). A box is excluded when it lies
/// outside the ball, when an enclosure of some gradient entry excludes 0, when ℓ^{1/2}‖W‖_*^{H−1} is bounded below by
/// λ/(2H(H+1)r) on it (outside U(λ)), or when it contains the origin and the interval Hessian of ℓ_λ is positive definite
/// on it (strictly convex: the origin is its only critical point). As the issue warns, without a symmetry reduction this
/// need not finish in 8+ dimensions within a box budget: the answer is then "inconclusive" with the boxes left. When it
/// finishes, the certificate lists every leaf box (exact rational ends) with its reason; the checker re-verifies each
/// reason in exact rational interval arithmetic and that the leaves tile a cube containing the ball.
/// The catalog decides these architectures with <see cref="BalancedLemma7"/>; this search assumes no reduction lemma and
/// is kept as an independent cross-check (tests, and the shipped *-generic certificates).
/// </summary>
public static class GenericLemma7
{
    public const int BoxBudget = 20000;

    /// <summary>Null when the generic search applies (a linear Milne network with every hidden width > 1), else why not.</summary>
    public static string? Applies(NetworkSpec s) => Hypothesis.FirstBroken(MilneLemma7.Setting, s);

    public static Verdict Decide(NetworkSpec s)
    {
        int h = MilneSetting.HiddenLayers(s), p = s.ParameterCount;
        Rational yy = 0;
        foreach (var y in s.Y) yy += y[0] * y[0];
        var ballSquared = (h + 1) * yy / (4 * s.SampleCount * s.WeightDecay);
        double radius = Interval.FromRational(ballSquared).Sqrt().Hi;
        var uBound = MilneSetting.MembershipRight(s, s.WeightDecay, 0); // λ / (2H(H+1) r)
        var plain = MilneSetting.Unregularised(s);
        var stack = new Stack<(Interval[] Box, string Path)>();
        stack.Push((Enumerable.Repeat(new Interval(-radius, radius), p).ToArray(), ""));
        var reasons = new Dictionary<string, int>();
        var leaves = new List<Lemma7Leaf>();
        int processed = 0;
        while (stack.Count > 0 && processed < BoxBudget)
        {
            Budgets.Budget.Check();
            var (box, path) = stack.Pop();
            processed++;
            if (Exclude(s, plain, box, ballSquared, uBound, h) is { } reason)
            {
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                leaves.Add(new Lemma7Leaf(path, reason, box.Select(i => (Rational.FromDouble(i.Lo), Rational.FromDouble(i.Hi))).ToList()));
                continue;
            }
            int widest = Enumerable.Range(0, p).MaxBy(i => box[i].Width);
            double mid = box[widest].Mid;
            var left = (Interval[])box.Clone(); left[widest] = new Interval(box[widest].Lo, mid);
            var right = (Interval[])box.Clone(); right[widest] = new Interval(mid, box[widest].Hi);
            stack.Push((right, path + "R"));
            stack.Push((left, path + "L"));
        }
        var evidence = new JsonObject
        {
            ["method"] = "generic interval branch-and-bound in all weights", ["dimension"] = p, ["ballSquared"] = ballSquared.ToString(),
            ["processed"] = processed, ["excluded"] = new JsonObject(reasons.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["left"] = stack.Count,
        };
        if (stack.Count == 0)
        {
            evidence["leaves"] = Lemma7Leaf.ToJson(leaves);
            return Verdict.Certified($"the cube around the a-priori ball is tiled by {leaves.Count} boxes ({processed} examined), each excluded ({string.Join(", ", reasons.Select(kv => $"{kv.Value} {kv.Key}"))}): no non-zero critical point in U(λ)", evidence,
                new Lemma7GenericFacts(ballSquared, leaves));
        }
        var sample = stack.Peek().Box;
        return new Verdict(VerdictKind.Inconclusive,
            $"generic interval branch-and-bound in {p} dimensions: {stack.Count} boxes left after examining {processed} (budget {BoxBudget}); excluded {string.Join(", ", reasons.Select(kv => $"{kv.Value} {kv.Key}"))}; e.g. a box of width {sample.Max(i => i.Width):G3} (the balanced reduction decides this instance)",
            evidence);
    }

    private static string? Exclude(NetworkSpec s, NetworkSpec plain, Interval[] box, Rational ballSquared, Interval uBound, int h)
    {
        double minNorm2 = box.Sum(i => i.ContainsZero ? 0 : Math.Min(i.Lo * i.Lo, i.Hi * i.Hi));
        if (minNorm2 > Interval.FromRational(ballSquared).Hi * (1 + 1e-12)) return "outside the ball";
        NetworkDerivatives<Interval> d;
        try { d = new NetworkDerivatives<Interval>(s, box); }
        catch (Exception e) when (e is UndecidedException or NonSmoothPointException) { return null; }
        if (d.Gradient.Any(g => !g.ContainsZero)) return "gradient";
        var loss = new NetworkDerivatives<Interval>(plain, box).Loss;
        double starLo = 0; // ‖W_k‖₂ ≥ the norm of any row
        for (int k = 1; k <= s.Depth; k++)
            for (int i = 0; i < s.Widths[k]; i++)
            {
                double row = 0;
                for (int j = 0; j < s.Widths[k - 1]; j++)
                {
                    var w = box[s.Layout.Weight(k, i, j)];
                    double m = w.ContainsZero ? 0 : Math.Min(Math.Abs(w.Lo), Math.Abs(w.Hi));
                    row += m * m;
                }
                starLo = Math.Max(starLo, Math.Sqrt(row) * (1 - 1e-12)); // margin for the rounding of the sum
            }
        var left = new Interval(Math.Max(0, loss.Lo), Math.Max(0, loss.Hi)).Sqrt() * MilneSetting.Power(new Interval(starLo, starLo), h - 1);
        if (left.Lo >= uBound.Hi) return "outside U";
        if (box.All(i => i.ContainsZero))
        {
            var hessian = d.Hessian();
            int p = box.Length;
            bool positive = true;
            for (int i = 0; i < p && positive; i++)
            {
                double off = 0;
                for (int j = 0; j < p; j++) if (j != i) off += hessian[i, j].Abs().Hi;
                positive = hessian[i, i].Lo - off * (1 + 1e-12) > 0; // Gershgorin (margin for the rounding of the sum)
            }
            if (positive) return "origin (strictly convex)";
        }
        return null;
    }
}
