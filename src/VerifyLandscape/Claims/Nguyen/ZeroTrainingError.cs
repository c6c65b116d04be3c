using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Claims.Cooper;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Scalars;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Claims.Nguyen;

/// <summary>
/// N-2.1 (Lemma 2.1): Φ &lt; log(2)/N ⇒ zero training error, Φ the mean cross-entropy and "zero training error"
/// meaning every label is the unique largest logit of its sample. Decided exactly at a point whose logits G are
/// rational: Φ &lt; log(2)/N ⟺ Π_i p_{i,y_i} &gt; 1/2 ⟺ D &lt; 0 with D = Π_i Σ_j e^{G_ij} − 2 Π_i e^{G_{i,y_i}}, an
/// <see cref="ExponentialSum"/>: D is zero exactly when every coefficient is (Lindemann–Weierstrass), and otherwise its
/// sign is decided by an enclosure. The argmax is a comparison of rationals.
/// Instances "fit:SEED": hidden layers from the seed, the last layer fitted exactly so that G_i = t·e_{y_i} with
/// t = SEED mod 9 (so t = 0 is a tie of all logits); out of hypotheses where no such point exists in that fibre.
/// </summary>
public class ZeroTrainingError : Claim
{
    public override string Id => "nguyen.2.1";
    public override string Source => "Nguyen, Mukkamala, Hein (001), Lemma 2.1";
    public override string Statement => "Φ < log(2)/N ⇒ zero training error (each label the unique largest logit)";
    public override IReadOnlyList<string> LocusKinds => ["fit"];
    /// <summary>The premise as the variant states it: strict (the lemma) or not (known false: the tie).</summary>
    protected virtual bool NonStrict => false;
    private string Premise => NonStrict ? "Φ ≤ log(2)/N" : "Φ < log(2)/N";

    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [NguyenHypotheses.CrossEntropy, NguyenHypotheses.OneHotTargets, NguyenHypotheses.RationalLogits, Hypothesis.AtThePoint(Premise + " at the point")];

    public static int Temperature(int seed) => ((seed % 9) + 9) % 9;

    protected override Verdict Decide(ClaimInstance c)
    {
        var net = c.Spec;
        var squares = net.With(loss: LossKind.Sse); // the fit solves V A = t·Y exactly; the loss plays no part in it
        var hidden = Fibres.HiddenLayers(squares, c.Seed);
        Rational[,] a;
        try { a = Fibres.AugmentedFeatures(squares, hidden); }
        catch (NotExactException) { return Verdict.OutOfHypotheses($"σ = {string.Join(", ", net.HiddenActivations.Select(s => s.Name).Distinct())} makes the logits transcendental"); }
        var t = (Rational)Temperature(c.Seed);
        var targets = net.Y.Select(y => y.Select(v => t * v).ToArray()).ToArray();
        if (Fibres.GlobalMinimum(squares.With(y: targets), hidden, a) is not { } theta)
            return Verdict.OutOfHypotheses($"no point of this fibre has logits t·e_y (rank [Φ; 1ᵀ] = {ExactLinearAlgebra.Rank(a)} < N = {net.SampleCount})");
        var logits = new NetworkDerivatives<Rational>(squares, theta).Outputs;
        return Judge(net, theta, logits);
    }

    /// <summary>The claim at a point with rational logits G (N × m).</summary>
    public Verdict Judge(NetworkSpec net, Rational[] theta, IReadOnlyList<Rational[]> logits)
    {
        var labels = SkipNetworks.Labels(net);
        var d = PremiseDifference(logits, labels);
        int? sign = d.Sign();
        var evidence = new JsonObject
        {
            ["point"] = Evidence.Point(net.Layout, theta),
            ["logits"] = new JsonArray(logits.Select(g => (JsonNode?)new JsonArray(g.Select(v => (JsonNode?)v.ToString()).ToArray())).ToArray()),
            ["D"] = d.ToString(),
        };
        if (sign is null) return Verdict.Inconclusive($"D = Π_i Σ_j e^{{G_ij}} − 2 Π_i e^{{G_i,y_i}} ≠ 0, but its enclosure {d.Enclose()} does not give its sign");
        bool premise = sign < 0 || (NonStrict && sign == 0);
        if (!premise) return Verdict.OutOfHypotheses($"{Premise} fails at this point: Φ {(sign == 0 ? "=" : ">")} log(2)/N (exactly: D {(sign == 0 ? "= 0" : "> 0")})");
        var facts = new ZeroTrainingErrorFacts(net.Layout, theta);
        string how = sign == 0 ? "Φ = log(2)/N exactly (D = 0 identically)" : "Φ < log(2)/N (exactly: D < 0)";
        for (int i = 0; i < logits.Count; i++)
        {
            int y = labels[i];
            if (Enumerable.Range(0, logits[i].Length).FirstOrDefault(j => j != y && logits[i][j] >= logits[i][y], -1) is var rival and >= 0)
                return Verdict.Refuted($"{how}, but sample {i} is not classified correctly: logit {rival} = {logits[i][rival]} ≥ logit {y} (its label) = {logits[i][y]}", evidence, facts);
        }
        return Verdict.Certified($"{how}, and every label is the unique largest logit of its sample (exact): zero training error", evidence, facts);
    }

    /// <summary>D = Π_i Σ_j e^{G_ij} − 2 Π_i e^{G_i,y_i}; Φ &lt; log(2)/N ⟺ D &lt; 0, Φ = log(2)/N ⟺ D = 0.</summary>
    public static ExponentialSum PremiseDifference(IReadOnlyList<Rational[]> logits, int[] labels)
    {
        var all = ExponentialSum.Constant(1);
        var correct = ExponentialSum.Constant(2);
        for (int i = 0; i < logits.Count; i++)
        {
            var row = ExponentialSum.Constant(0);
            foreach (var g in logits[i]) row += ExponentialSum.Term(1, g);
            all *= row;
            correct *= ExponentialSum.Term(1, logits[i][labels[i]]);
        }
        return all - correct;
    }

    /// <summary>Small nets with exact σ and one-hot labels; N = 1 and t = 0 are drawn often, since the tie lives there.</summary>
    public override Gen<ClaimInstance> Generator =>
        from depth in Gen.Choose(2, 3)
        from n in Gen.Elements(1, 1, 2, 3, 4)
        from m in Gen.Choose(2, 3)
        from inputs in Gen.Choose(1, 3)
        from hiddenWidths in Gen.ArrayOf(Gen.Choose(1, 4), depth - 1)
        from sigma in Gen.Elements<Activation>(Activation.Identity, new PolynomialActivation([0, 1, Rational.Half]), new LeakyRelu(Rational.Create(1, 10)))
        from xs in Gen.ArrayOf(Gen.ArrayOf(NetworkCases.SmallRational, inputs), n)
        from labels in Gen.ArrayOf(Gen.Choose(0, m - 1), n)
        from t in Gen.Elements(0, 0, 1, 2, 3, 5, 8)
        from hiddenSeed in Gen.Choose(1, 1000)
        let widths = (int[])[inputs, .. hiddenWidths[..^1], Math.Max(hiddenWidths[^1], n - 1), m]
        select new ClaimInstance(Id, new NetworkSpec
        {
            Widths = widths, HiddenActivations = Enumerable.Repeat(sigma, depth - 1).ToArray(), OutputActivation = Activation.Identity,
            Bias = true, Loss = LossKind.CrossEntropy, WeightDecay = Rational.Zero, X = xs,
            Y = SkipNetworks.OneHot(labels, m),
        }, [hiddenSeed * 9 + t], Construction: "fit");

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance)
    {
        foreach (var c in NetworkCases.Shrink(new NetworkCase(instance.Spec, 0)))
            if (c.Spec.Depth >= 2 && c.Spec.Bias && c.Spec.Loss == LossKind.CrossEntropy && c.Spec.OutputWidth >= 2
                && Hypothesis.FirstBroken([NguyenHypotheses.OneHotTargets], c.Spec) is null)
                yield return instance with { Spec = c.Spec };
    }
}

/// <summary>N-2.1 with "≤": known false. At a tie of two logits with N = 1, Φ = log 2 = log(2)/N and the label is not the unique argmax.</summary>
public sealed class ZeroTrainingErrorNonStrict : ZeroTrainingError
{
    public override string Id => "nguyen.2.1-nonstrict";
    public override string Statement => "Φ ≤ log(2)/N ⇒ zero training error (the bound is sharp: known false)";
    protected override bool NonStrict => true;
    public override Expectation Expected => Expectation.KnownFalse;
}

/// <summary>The point; the checker recomputes the logits, D and the argmax from the spec itself.</summary>
public sealed record ZeroTrainingErrorFacts(ParameterLayout Layout, Rational[] Point) : CertificateFacts
{
    public override JsonObject ToJson() => new() { ["point"] = Evidence.Point(Layout, Point) };
}
