using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Testing;

/// <summary>A generated instance: a small network with data, and a seed for a random rational point.</summary>
public sealed record NetworkCase(NetworkSpec Spec, int PointSeed)
{
    public Rational[] Point => Networks.Point.RandomRationals(Spec.ParameterCount, PointSeed);
    public override string ToString() => $"{{\"spec\": {SpecWriter.ToJsonString(Spec)}, \"pointSeed\": {PointSeed}}}";
}

/// <summary>
/// FsCheck generators and shrinkers for network instances. Shrinking is part of the design:
/// fewer samples, fewer layers, narrower layers, smaller numbers, simpler activations, each
/// tried while the property still fails.
/// </summary>
public static class NetworkCases
{
    public static Gen<Rational> SmallRational =>
        from n in Gen.Choose(-6, 6)
        from d in Gen.Elements(1, 1, 2, 3, 4)
        select Rational.Create(n, d);

    public static Gen<Activation> AnyActivation => Gen.Elements<Activation>(
        Activation.Identity, Activation.Tanh, Activation.Sigmoid, Activation.Swish, Activation.Relu,
        new LeakyRelu(Rational.Create(1, 10)), new Softplus(2),
        new PolynomialActivation([0, 1, Rational.Create(1, 2)]), new PolynomialActivation([0, 1, 0, Rational.Create(-1, 3)]));

    /// <summary>Activations whose values are rational at rational points (the rational engine can run them).</summary>
    public static Gen<Activation> ExactActivation => Gen.Elements<Activation>(
        Activation.Identity, Activation.Relu, new LeakyRelu(Rational.Create(1, 10)),
        new PolynomialActivation([0, 1, Rational.Create(1, 2)]), new PolynomialActivation([Rational.Create(1, 3), 1, 0, Rational.Create(-1, 3)]));

    /// <summary>Smooth activations with rational values at rational points (identity, polynomials): never a kink, never an atom.</summary>
    public static Gen<Activation> SmoothExactActivation => Gen.Elements<Activation>(
        Activation.Identity, new PolynomialActivation([0, 1, Rational.Create(1, 2)]), new PolynomialActivation([Rational.Create(1, 3), 1, 0, Rational.Create(-1, 3)]));

    public static Gen<NetworkCase> Generator(Gen<Activation> activations, int maxDepth = 3, int maxWidth = 3, int maxSamples = 3,
        LossKind[]? losses = null, bool? bias = null, int minDepth = 1, int maxOutputs = 2, Gen<Activation>? outputs = null) =>
        from depth in Gen.Choose(minDepth, maxDepth)
        from widths in Gen.ArrayOf(Gen.Choose(1, maxWidth), depth + 1)
        from m in Gen.Choose(1, maxOutputs)
        from sigma in activations
        from output in outputs ?? Gen.Elements(Activation.Identity, Activation.Identity, Activation.Tanh)
        from b in bias is { } fixedBias ? Gen.Constant(fixedBias) : Gen.Elements(true, false)
        from loss in Gen.Elements(losses ?? [LossKind.Sse, LossKind.HalfMse])
        from n in Gen.Choose(1, maxSamples)
        from xs in Gen.ArrayOf(Gen.ArrayOf(SmallRational, widths[0]), n)
        from ys in Gen.ArrayOf(Gen.ArrayOf(SmallRational, m), n)
        from decay in Gen.Elements(Rational.Zero, Rational.Zero, Rational.Create(1, 10))
        from seed in Gen.Choose(0, 100000)
        select new NetworkCase(new NetworkSpec
        {
            Widths = [.. widths[..^1], m],
            HiddenActivations = Enumerable.Repeat(sigma, depth - 1).ToArray(),
            OutputActivation = output,
            Bias = b,
            Loss = loss,
            WeightDecay = decay,
            X = xs,
            Y = loss == LossKind.CrossEntropy ? ys.Select(y => y.Select(v => v.Abs()).ToArray()).ToArray() : ys,
        }, seed);

    public static Arbitrary<NetworkCase> Arbitrary(Gen<Activation>? activations = null, int maxDepth = 3, int maxWidth = 3, int maxSamples = 3,
        LossKind[]? losses = null, bool? bias = null, int minDepth = 1, int maxOutputs = 2, Gen<Activation>? outputs = null) =>
        Arb.From(Generator(activations ?? AnyActivation, maxDepth, maxWidth, maxSamples, losses, bias, minDepth, maxOutputs, outputs), Shrink);

    /// <summary>
    /// The same cases with skip wiring where there is a hidden layer: the output reads a random non-empty list of
    /// hidden units (any layers, any order), and the output bias is dropped half the time.
    /// </summary>
    public static Gen<NetworkCase> WithSkip(Gen<NetworkCase> cases) =>
        from c in cases
        from picks in Gen.ArrayOf(Gen.Choose(0, 1000), 6)
        from outputBias in Gen.Elements(true, false)
        select c.Spec.Depth < 2 ? c : c with { Spec = c.Spec.With(skip: PickUnits(c.Spec, picks), outputBias: outputBias) };

    /// <summary>
    /// The same cases as layered DAGs with tied parameters: each hidden layer above the first reads, half the time, a
    /// random list of earlier units (inputs included); a few pairs of weights (or of biases) of one layer share a value,
    /// and a few slots are frozen at small rationals.
    /// </summary>
    public static Gen<NetworkCase> WithDagAndTies(Gen<NetworkCase> cases) =>
        from c in cases
        from picks in Gen.ArrayOf(Gen.Choose(0, 1000), 40)
        from frozen in Gen.ArrayOf(SmallRational, 3)
        select c with { Spec = DagAndTies(c.Spec, picks, frozen) };

    private static NetworkSpec DagAndTies(NetworkSpec s, int[] picks, Rational[] frozenValues)
    {
        int next = 0;
        int Pick(int n) => picks[next++ % picks.Length] % n;
        var reads = new HiddenUnit[]?[s.Depth];
        for (int k = 2; k < s.Depth; k++)
        {
            if (Pick(2) == 0) continue;
            var earlier = Enumerable.Range(0, k).SelectMany(b => Enumerable.Range(0, s.Widths[b]).Select(u => new HiddenUnit(b, u))).ToArray();
            reads[k] = Enumerable.Range(0, 1 + Pick(4)).Select(_ => earlier[Pick(earlier.Length)]).Distinct().ToArray();
        }
        var wired = s.With(reads: reads);
        var names = wired.Layout.Names;
        var used = new HashSet<string>();
        var shared = new List<string[]>();
        for (int g = Pick(3); g > 0; g--)
        {
            string a = names[Pick(names.Count)];
            // a partner of the same kind in the same layer (W2[…] with W2[…], b1[…] with b1[…])
            var partners = names.Where(n => n != a && n[..n.IndexOf('[')] == a[..a.IndexOf('[')] && !used.Contains(n)).ToArray();
            if (used.Contains(a) || partners.Length == 0) continue;
            string b = partners[Pick(partners.Length)];
            used.Add(a); used.Add(b);
            shared.Add([a, b]);
        }
        var frozen = new List<KeyValuePair<string, Rational>>();
        for (int f = Pick(3); f > 0; f--)
        {
            string n = names[Pick(names.Count)];
            if (used.Add(n)) frozen.Add(KeyValuePair.Create(n, frozenValues[f % frozenValues.Length]));
        }
        return wired.With(shared: shared.ToArray(), frozen: frozen.ToArray());
    }

    /// <summary>A non-empty list of distinct hidden units, in the order the picks name them (1 + picks[0] mod #units picks).</summary>
    public static HiddenUnit[] PickUnits(NetworkSpec s, int[] picks)
    {
        var all = s.HiddenUnits;
        var chosen = new List<HiddenUnit>();
        foreach (var p in picks.Take(1 + picks[0] % all.Length))
        {
            var u = all[p % all.Length];
            if (!chosen.Contains(u)) chosen.Add(u);
        }
        return chosen.ToArray();
    }

    public static IEnumerable<NetworkCase> Shrink(NetworkCase c)
    {
        if (!c.Spec.IsPlain)
        {
            yield return c with { Spec = c.Spec.With(plain: true) };
            if (c.Spec.IsTied) yield return c with { Spec = c.Spec.With(shared: [], frozen: []) };
            if (c.Spec.HasReads) yield return c with { Spec = c.Spec.With(reads: new HiddenUnit[]?[c.Spec.Depth], shared: [], frozen: []) };
            if (c.Spec.Skip is { Length: > 1 } skip)
                for (int j = 0; j < skip.Length; j++) yield return c with { Spec = c.Spec.With(skip: skip.Where((_, i) => i != j).ToArray()) };
            yield break; // the plain shrinks below change widths and layers, which a skip list names
        }
        var s = c.Spec;
        NetworkCase With(NetworkSpec spec) => c with { Spec = spec };
        if (s.SampleCount > 1)
            for (int i = 0; i < s.SampleCount; i++)
                yield return With(s.With(x: s.X.Where((_, k) => k != i).ToArray(), y: s.Y.Where((_, k) => k != i).ToArray()));
        if (s.Depth > 1)
            for (int k = 1; k < s.Depth; k++) // drop hidden layer k
                yield return With(s.With(widths: s.Widths.Where((_, j) => j != k).ToArray(), hidden: s.HiddenActivations.Where((_, j) => j != k - 1).ToArray()));
        for (int k = 0; k <= s.Depth; k++)
        {
            if (s.Widths[k] == 1) continue;
            var w = (int[])s.Widths.Clone();
            w[k]--;
            if (k == 0) yield return With(s.With(widths: w, x: s.X.Select(r => r[..^1]).ToArray()));
            else if (k == s.Depth) yield return With(s.With(widths: w, y: s.Y.Select(r => r[..^1]).ToArray()));
            else yield return With(s.With(widths: w));
        }
        if (!s.WeightDecay.IsZero) yield return With(s.With(decay: Rational.Zero));
        if (s.OutputActivation is not IdentityActivation) yield return With(s.With(output: Activation.Identity));
        if (s.HiddenActivations.Any(a => a is not IdentityActivation))
            yield return With(s.With(hidden: s.HiddenActivations.Select(_ => Activation.Identity).ToArray()));
        if (!AllSimple(s.X)) yield return With(s.With(x: Simplify(s.X)));
        if (!AllSimple(s.Y)) yield return With(s.With(y: Simplify(s.Y)));
        if (c.PointSeed != 0) yield return c with { PointSeed = 0 };
    }

    private static bool AllSimple(Rational[][] m) => m.All(r => r.All(v => v.IsInteger && v.Abs() <= 1));
    // Smaller numerators and denominators: round toward zero to an integer, then clamp to [-1, 1].
    private static Rational[][] Simplify(Rational[][] m) =>
        m.Select(r => r.Select(v => v.IsInteger ? (Rational)Math.Clamp((long)v.Numerator, -1, 1) : (Rational)(long)(v.Numerator / v.Denominator)).ToArray()).ToArray();
}
