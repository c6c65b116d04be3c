using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Exact;
using Interval = VerifyLandscape.Intervals.Interval;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims.Golikov;

/// <summary>
/// Du, Zhai, Póczos and Singh's two-layer network as Golikov's essay (003, §2.2) states it:
/// f(W, a, x) = m^{−1/2} Σ_r a_r relu(w_rᵀx), a_r ∈ {±1} frozen, unit inputs ‖x_i‖ = 1, loss ½Σ_i (f(x_i) − y_i)².
/// As a spec: widths [d, m, 1], relu, no biases, every W2[0,r] frozen at ±1, output scale 1/√m (m a square, so the
/// exact engine stays rational), loss half-sse. H∞_ij = x_iᵀx_j (π − arccos x_iᵀx_j)/(2π) depends on the inputs alone.
/// </summary>
public static class DuSetting
{
    public static readonly Hypothesis TwoLayerRelu = Hypothesis.OnSpec("two layers [d, m, 1], relu hidden layer, identity output, no biases",
        s => s.Depth != 2 || s.OutputWidth != 1 ? $"widths {string.Join("-", s.Widths)}, the claim's network is [d, m, 1]"
            : !s.HiddenActivations[0].IsRelu ? $"the hidden activation is {s.HiddenActivations[0].Name}, not relu"
            : s.OutputActivation is not IdentityActivation ? $"output activation {s.OutputActivation.Name}"
            : s.Bias ? "the network has biases (Du et al.'s has none)" : null);

    public static readonly Hypothesis FrozenSigns = Hypothesis.OnSpec("output weights a_r frozen at ±1, nothing else tied (only W is trained)",
        s => s.Shared is { Length: > 0 } ? "some parameters are shared"
            : FrozenOutputs(s) is null ? "the output weights W2[0,r] are not all frozen at ±1 (a is trained, or some hidden weight is frozen)" : null);

    public static readonly Hypothesis ScaleInverseSqrtWidth = Hypothesis.OnSpec("output scale m^{−1/2}",
        s => s.Depth == 2 && (s.OutputScale * s.OutputScale * s.Widths[1]).IsOne ? null
            : $"output scale {s.OutputScale}, the claim's is m^{{−1/2}} with m = {s.Widths[^2]}");

    public static readonly Hypothesis HalfSse = SettingHypotheses.Loss(LossKind.HalfSse);

    public static readonly Hypothesis UnitInputs = Hypothesis.OnSpec("unit inputs ‖x_i‖ = 1 (exactly)",
        s => Array.FindIndex(s.X, x => !Sphere.IsUnit(x)) is var i and >= 0 ? $"‖x_{i}‖² = {Matrices.Dot(s.X[i], s.X[i])}, not 1" : null);

    public static IReadOnlyList<Hypothesis> Network => [TwoLayerRelu, FrozenSigns, ScaleInverseSqrtWidth, HalfSse, SettingHypotheses.NoWeightDecay, UnitInputs];

    /// <summary>No two inputs parallel: x_i ≠ ±x_j (unit vectors).</summary>
    public static readonly Hypothesis NoParallelInputs = Hypothesis.OnSpec("no two inputs parallel (x_i ≠ ±x_j)",
        s => ParallelPair(s.X) is { } p ? $"x_{p.I} = {(p.Antipodal ? "−" : "")}x_{p.J}" : null);

    /// <summary>a_r, when every output weight is frozen at ±1 and nothing else is frozen; else null.</summary>
    public static Rational[]? FrozenOutputs(NetworkSpec s)
    {
        if (s.Depth != 2 || s.OutputWidth != 1 || s.Frozen is not { } frozen || frozen.Length != s.Widths[1]) return null;
        var a = new Rational[s.Widths[1]];
        for (int r = 0; r < a.Length; r++)
        {
            if (s.Layout.FrozenValue(s.Layout.Weight(2, 0, r)) is not { } v || !v.Abs().IsOne) return null;
            a[r] = v;
        }
        return a; // m frozen names, all of them output weights: nothing else is frozen
    }

    /// <summary>The first pair i &lt; j with x_i = x_j (a duplicate), else the first with x_i = −x_j (antipodal), or null.</summary>
    public static (int I, int J, bool Antipodal)? ParallelPair(Rational[][] x) =>
        Pair(x, (u, v) => u == v, false) ?? Pair(x, (u, v) => u == -v, true);

    private static (int I, int J, bool Antipodal)? Pair(Rational[][] x, Func<Rational, Rational, bool> same, bool antipodal)
    {
        for (int i = 0; i < x.Length; i++)
            for (int j = i + 1; j < x.Length; j++)
                if (x[i].Zip(x[j]).All(p => same(p.First, p.Second))) return (i, j, antipodal);
        return null;
    }

    /// <summary>
    /// H∞ exactly where every inner product is in {0, ±½, ±1} (Niven: arccos(c)/π is rational there and only there), else null.
    /// Entries: ½ (c = 1), 1/6 (c = ½), 0 (c = 0), −1/12 (c = −½), 0 (c = −1).
    /// </summary>
    public static Rational[,]? ExactGram(Rational[][] x)
    {
        int n = x.Length;
        var h = new Rational[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                var c = Matrices.Dot(x[i], x[j]);
                Rational? e = c.IsOne ? Rational.Half : c.IsZero ? Rational.Zero : c == Rational.Half ? Rational.Create(1, 6)
                    : c == -Rational.Half ? Rational.Create(-1, 12) : c == -1 ? Rational.Zero : null;
                if (e is null) return null;
                h[i, j] = e.Value;
            }
        return h;
    }

    /// <summary>H∞ in outward-rounded intervals: c/2 − c·arccos(c)/(2π) with c = x_iᵀx_j exact, then enclosed.</summary>
    public static Interval[,] GramEnclosure(Rational[][] x)
    {
        int n = x.Length;
        var h = new Interval[n, n];
        var twoPi = Interval.Pi * Interval.Point(2);
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                var c = Interval.FromRational(Matrices.Dot(x[i], x[j])).Intersect(new Interval(-1, 1));
                h[i, j] = h[j, i] = c * Interval.Point(0.5) - c * c.Acos() / twoPi;
            }
        return h;
    }

    /// <summary>H∞ − cI from H∞'s enclosure, for the interval LDLᵀ certificate λ0 ≥ c.</summary>
    public static Interval[,] Shifted(Interval[,] enclosure, Rational c)
    {
        int n = enclosure.GetLength(0);
        var m = (Interval[,])enclosure.Clone();
        for (int i = 0; i < n; i++) m[i, i] = enclosure[i, i] - Interval.FromRational(c);
        return m;
    }

    /// <summary>The 24 vertices of the 24-cell (±e_i and (±½, ±½, ±½, ±½)): rational unit vectors in R⁴ whose inner products are all in {0, ±½, ±1}.</summary>
    public static readonly Rational[][] Cell24 = [..
        Enumerable.Range(0, 8).Select(k => Enumerable.Range(0, 4).Select(i => i == k / 2 ? (k % 2 == 0 ? Rational.One : -Rational.One) : Rational.Zero).ToArray()),
        .. Enumerable.Range(0, 16).Select(bits => Enumerable.Range(0, 4).Select(i => (bits >> i & 1) == 0 ? Rational.Half : -Rational.Half).ToArray())];

    /// <summary>A Du network on the given inputs and targets: width m (a square), signs a, spec as the claims expect it.</summary>
    public static NetworkSpec Spec(Rational[][] x, Rational[] y, Rational[] a)
    {
        int m = a.Length, root = (int)Math.Round(Math.Sqrt(m));
        if (root * root != m) throw new ArgumentException($"m = {m} is not a square (the output scale m^(-1/2) would be irrational)");
        return new NetworkSpec
        {
            Widths = [x[0].Length, m, 1], HiddenActivations = [Activation.Relu], OutputActivation = Activation.Identity, Bias = false,
            Loss = LossKind.HalfSse, WeightDecay = Rational.Zero, OutputScale = Rational.Create(1, root), X = x, Y = y.Select(v => new[] { v }).ToArray(),
            Frozen = a.Select((v, r) => KeyValuePair.Create($"W2[0,{r}]", v)).ToArray(),
        };
    }

    /// <summary>A random rational unit vector in R^d (inverse stereographic projection of small rationals).</summary>
    public static Gen<Rational[]> UnitVector(int d) =>
        from t in Gen.ArrayOf(Gen.Choose(-4, 4).Zip(Gen.Choose(1, 3), (p, q) => Rational.Create(p, q)), d - 1)
        from negate in Gen.Elements(false, true)
        select Sphere.FromStereographic(t, negate);

    /// <summary>
    /// Input sets: random unit vectors in d = 1..3, or subsets of the 24-cell (exact H∞); with probability ½ the
    /// antipode of one input is added (parallel inputs), with probability ¼ a copy of one (a duplicate).
    /// </summary>
    public static Gen<Rational[][]> Inputs(bool parallel) =>
        from cell in Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true)))
        from d in Gen.Choose(1, 3)
        from n in Gen.Choose(1, 5)
        from random in Gen.ArrayOf(UnitVector(d), n)
        from picks in Gen.ArrayOf(Gen.Choose(0, 23), n)
        from add in parallel ? Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(2))) : Gen.Constant(0)
        from which in Gen.Choose(0, n - 1)
        let basis = cell ? picks.Distinct().Select(k => Cell24[k]).ToArray() : random
        let b = basis[Math.Min(which, basis.Length - 1)]
        select add == 0 ? basis : add == 2 ? [.. basis, b.Select(v => -v).ToArray()] : [.. basis, b];

    /// <summary>Du networks over the inputs: m ∈ {1, 4, 9}, signs and targets drawn.</summary>
    public static Gen<NetworkSpec> Specs(Gen<Rational[][]> inputs) =>
        from x in inputs
        from m in Gen.Elements(1, 4, 9)
        from a in Gen.ArrayOf(Gen.Elements(Rational.One, -Rational.One), m)
        from y in Gen.ArrayOf(Gen.Choose(-4, 4).Select(v => Rational.Create(v, 2)), x.Length)
        select Spec(x, y, a);

    /// <summary>Smaller Du networks: fewer inputs, width 1, targets 0, an input replaced by ±e_1, a dimension dropped where every input is 0.</summary>
    public static IEnumerable<NetworkSpec> Shrink(NetworkSpec s)
    {
        var a = FrozenOutputs(s);
        if (a is null) yield break;
        var x = s.X;
        var y = s.Y.Select(r => r[0]).ToArray();
        if (a.Length > 1) yield return Spec(x, y, [a[0]]);
        for (int i = 0; i < x.Length && x.Length > 1; i++)
            yield return Spec([.. x.Take(i), .. x.Skip(i + 1)], [.. y.Take(i), .. y.Skip(i + 1)], a);
        if (y.Any(v => !v.IsZero)) yield return Spec(x, y.Select(_ => Rational.Zero).ToArray(), a);
        int d = s.InputWidth;
        for (int c = 0; c < d && d > 1; c++)
            if (x.All(r => r[c].IsZero)) yield return Spec(x.Select(r => r.Where((_, k) => k != c).ToArray()).ToArray(), y, a);
        // x_i becomes e_1, and every input equal to ±x_i becomes ±e_1 with it (a parallel pair stays parallel).
        var e1 = Enumerable.Range(0, d).Select(k => k == 0 ? Rational.One : Rational.Zero).ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i].SequenceEqual(e1)) continue;
            var xi = x[i];
            yield return Spec(x.Select(r => r.SequenceEqual(xi) ? e1 : r.Zip(xi).All(p => p.First == -p.Second) ? e1.Select(v => -v).ToArray() : r).ToArray(), y, a);
        }
    }
}
