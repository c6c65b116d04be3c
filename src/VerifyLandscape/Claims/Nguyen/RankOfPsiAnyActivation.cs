using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using Interval = VerifyLandscape.Intervals.Interval;

namespace VerifyLandscape.Claims.Nguyen;

/// <summary>
/// N-3.2 with Assumption 3.1 dropped: known false. Each refutation is an exact bound rank Ψ(U) ≤ r &lt; N on a set of
/// U of positive measure (notes §1.2): fewer units than samples; two equal inputs (equal rows for every U); every unit
/// the output reads a polynomial of degree ≤ D in x (identity, polynomial σ), so rank Ψ ≤ rank [x_i^α]_{|α|≤D} for
/// every U; the same on an open set around a point where every piecewise-linear unit is strictly inside one piece on
/// every sample; or a relu layer dead on every sample around a point, below every unit the output reads (rows equal);
/// or c ≥ 2 units the output reads whose patches are constant across the samples (001's MNIST trap with a shared bias,
/// notes §1.5: their columns are constant vectors, so they span one dimension), rank Ψ ≤ M − c + 1 for every U.
/// Where no bound applies, the instance is certified like the lemma (a non-singular minor of the analytic columns at one of 12 seeded points).
/// </summary>
public sealed class RankOfPsiAnyActivation : Claim
{
    public override string Id => "nguyen.3.2-any-activation";
    public override string Source => "Nguyen, Mukkamala, Hein (001), Lemma 3.2 without Assumption 3.1";
    public override string Statement => "rank Ψ(U) = N for almost every U, for any activations, data and skip units (known false)";
    public override Expectation Expected => Expectation.KnownFalse;
    public override IReadOnlyList<string> LocusKinds => [SkipNetworks.Kind];
    public override Wiring Accepts => Wiring.General;
    /// <summary>Assumption 3.1 is dropped, not the architecture: 001's units have biases (b_j in f_j = σ_j(b_j + …)).</summary>
    public override IReadOnlyList<Hypothesis> Hypotheses => [NguyenHypotheses.Biases];

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        if (RankBound.Find(s, c.Seed) is { } bound)
            return Verdict.Refuted(bound.Reason, new JsonObject { ["bound"] = bound.Kind, ["rank at most"] = bound.Rank }, bound);
        // Columns of units whose σ and every σ below are analytic: a non-singular minor among them proves a.e.
        int analytic = s.HiddenActivations.TakeWhile(NguyenHypotheses.IsAnalytic).Count();
        var columns = Enumerable.Range(0, s.OutputSources.Length).Where(j => s.OutputSources[j].Layer <= analytic).ToArray();
        var analyticOnly = columns.Length >= s.SampleCount ? s.With(skip: columns.Select(j => s.OutputSources[j]).ToArray()) : null;
        foreach (var theta in SkipNetworks.SeededPoints(s, c.Seed))
        {
            if (analyticOnly is null) break;
            var psi = SkipNetworks.PsiEnclosure(analyticOnly, Transfer(s, analyticOnly, theta));
            if (SkipNetworks.CertifyFullRowRank(psi) is { } rank)
            {
                var units = rank.Columns.Select(j => analyticOnly.OutputSources[j]).ToArray();
                return Verdict.Certified($"no rank bound applies, and at a seeded point the minor of Ψ on units {string.Join(" ", units)} (σ analytic up to their layers) " +
                    $"is non-singular (‖I − RΨ_S‖∞ ≤ {rank.Beta:G3}): its determinant is analytic in U and not 0, so rank Ψ = N off a null set",
                    new JsonObject { ["point"] = Evidence.Point(s.Layout, theta) }, new FullRankFacts(s.Layout, theta, units));
            }
        }
        return Verdict.Inconclusive($"{s.Describe()}, output reads {string.Join(" ", s.OutputSources)}: " + (columns.Length >= s.SampleCount
            ? "no rank bound applies, and no N×N minor of Ψ's analytic columns was proved non-singular at 12 seeded points"
            : $"no rank bound applies, and only {columns.Length} of the units the output reads have analytic σ up to their layer (fewer than N): a.e. is out of reach here"));
    }

    /// <summary>The hidden parameters of θ in the layout of a spec that differs only in its skip list (the output weights are irrelevant to Ψ).</summary>
    private static Rational[] Transfer(NetworkSpec from, NetworkSpec to, Rational[] theta) =>
        to.Layout.Names.Select(name => from.Layout.TryIndexOf(name, out int p) ? theta[p] : Rational.Zero).ToArray();

    /// <summary>The zoo of the notes: every kind of σ, few inputs on a small grid (duplicates), any number of skip units.</summary>
    /// <remarks>
    /// Piecewise-linear nets are drawn where the notes' counterexamples live: relu with N ≥ 2, leaky-relu with N &gt; d + 1
    /// and only piecewise-linear or identity layers. Elsewhere full rank a.e. is plausible, but a piecewise-analytic Ψ
    /// has no single-point certificate, and such trials could only be inconclusive.
    /// </remarks>
    public override Gen<ClaimInstance> Generator => SkipNetworks.Instances(Id, Gen.Frequency(
        (5, SkipNetworks.Specs(Zoo, maxSamples: 6)
            .Where(s => !s.HiddenActivations.Any(a => a is LeakyRelu)
                        || (s.SampleCount >= 2 && (!s.HiddenActivations.Any(a => a is LeakyRelu { Alpha.IsZero: false })
                            || (s.SampleCount > s.InputWidth + 1 && s.HiddenActivations.All(a => a is LeakyRelu or IdentityActivation)))))),
        (1, SkipNetworks.ConvolutionSpecs(Gen.Elements<Activation>(Activation.Sigmoid, Activation.Tanh, new Softplus(2)), sharedBias: Gen.Elements(true, false)))));

    public static Gen<Activation> Zoo => Gen.Elements<Activation>(
        Activation.Sigmoid, Activation.Tanh, new Softplus(2), Activation.Relu, new LeakyRelu(Rational.Create(1, 10)), Activation.Identity,
        new PolynomialActivation([0, 1, 0, 1]));

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance) => SkipNetworks.ShrinkInstance(instance);
}

/// <summary>
/// An exact bound rank Ψ ≤ Rank &lt; N, with what it rests on: "units" (M &lt; N), "duplicate-inputs" (samples I, J),
/// "polynomial-span" (columns of polynomial layers as polynomials in the layer below), "polynomial" (degree D, every U), "linear-pieces" (degree D, an open set around Point), "dead-layer" (Layer, around Point),
/// "constant-columns" (Units, constant across samples for every U).
/// </summary>
public sealed record RankBound(string Kind, int Rank, string Reason, int Degree = 0, int Layer = 0, int I = 0, int J = 0,
    ParameterLayout? Layout = null, Rational[]? Point = null, HiddenUnit[]? Units = null) : CertificateFacts
{
    public override JsonObject ToJson()
    {
        var o = new JsonObject { ["bound"] = Kind, ["rankAtMost"] = Rank };
        if (Kind == "duplicate-inputs") { o["samples"] = new JsonArray(I, J); }
        if (Kind is "polynomial" or "linear-pieces") o["degree"] = Degree;
        if (Kind == "dead-layer") o["layer"] = Layer;
        if (Units is not null) o["units"] = new JsonArray(Units.Select(u => (JsonNode?)new JsonArray(u.Layer, u.Unit)).ToArray());
        if (Point is not null) o["point"] = Evidence.Point(Layout!, Point);
        return o;
    }

    public static RankBound? Find(NetworkSpec s, int seed)
    {
        int n = s.SampleCount, m = s.OutputSources.Length;
        if (m < n) return new("units", m, $"the output reads M = {m} units and N = {n}: rank Ψ ≤ M < N for every U");
        if (NguyenHypotheses.DuplicatePair(s) is { } dup)
            return new("duplicate-inputs", n - 1, $"samples {dup.I} and {dup.J} have the same input, so rows {dup.I} and {dup.J} of Ψ are equal for every U: rank Ψ ≤ N − 1", I: dup.I, J: dup.J);
        var flat = s.OutputSources.Where(u => UnitGraph.IsSampleConstant(s, u)).ToArray();
        if (flat.Length >= 2 && m - flat.Length + 1 < n)
            return new("constant-columns", m - flat.Length + 1, $"units {string.Join(" ", flat)} read only input coordinates that are the same on every sample, " +
                $"so their columns of Ψ are constant vectors for every U and span one dimension: rank Ψ ≤ M − {flat.Length} + 1 = {m - flat.Length + 1} < N = {n}",
                Units: flat);
        // The bounds below follow a layered wiring (each layer reads the one below).
        if (s.HasReads) return null;
        var (dimension, spanned) = SkipFeatures.PolynomialSpan(s);
        if (dimension < n)
            return new("polynomial-span", (int)dimension, $"a unit of a polynomial (or identity) layer is a polynomial in the layer below it, so every column of Ψ lies in the span of " +
                $"{spanned}, of dimension ≤ {dimension}, for every U: rank Ψ ≤ {dimension} < N = {n}");
        int top = s.OutputSources.Max(u => u.Layer);
        if (SkipFeatures.DegreeInX(s, linearPieces: false)[top] is int d)
        {
            int r = ExactLinearAlgebra.Rank(SkipFeatures.Monomials(s, d));
            if (r < n) return new("polynomial", r, $"every unit the output reads is a polynomial of degree ≤ {d} in x for every U, so rank Ψ ≤ rank [x_i^α]_{{|α|≤{d}}} = {r} < N = {n}", Degree: d);
        }
        // Around a point: the biases are moved one slot each, so the parameters must be untied.
        if (s.IsTied) return null;
        bool piecewiseLinear = s.HiddenActivations.Take(top).Any(a => a is LeakyRelu);
        if (piecewiseLinear && SkipFeatures.DegreeInX(s, linearPieces: true)[top] is int dl)
        {
            int r = ExactLinearAlgebra.Rank(SkipFeatures.Monomials(s, dl));
            if (r < n && ShiftedPoint(s, seed, top, _ => true) is { } theta)
                return new("linear-pieces", r, $"around the point (every bias raised until each pre-activation ≥ 1 on every sample), each piecewise-linear unit stays in " +
                    $"its linear piece on an open set of U; there every unit the output reads is a polynomial of degree ≤ {dl} in x, so rank Ψ ≤ {r} < N = {n}",
                    Degree: dl, Layout: s.Layout, Point: theta);
        }
        // Every relu layer up to the top dead on every sample: their units output 0, so every unit above the lowest of
        // them is constant across samples (and 0 in a dead layer); only the units below it vary.
        var relu = Enumerable.Range(1, top).Where(k => s.HiddenActivations[k - 1].IsRelu).ToHashSet();
        if (relu.Count > 0)
        {
            int lowest = relu.Min();
            int below = s.OutputSources.Count(u => u.Layer < lowest), constant = s.OutputSources.Any(u => u.Layer > lowest && !relu.Contains(u.Layer)) ? 1 : 0;
            if (below + constant < n && ShiftedPoint(s, seed, top, k => !relu.Contains(k)) is { } deadPoint)
                return new("dead-layer", below + constant, $"around the point, every relu unit (layers {string.Join(", ", relu.Order())}) has a negative pre-activation on every sample " +
                    $"(an open set of U): those units output 0 and every unit above layer {lowest} is constant across samples, so rank Ψ ≤ {below} (units below) + {constant} < N = {n}",
                    Layer: lowest, Layout: s.Layout, Point: deadPoint);
        }
        return null;
    }

    /// <summary>
    /// The seeded point with the biases of layers 1..top moved so that every pre-activation is ≥ 1 (layers where
    /// <paramref name="positive"/> holds) or ≤ −1 (the others) on every sample, checked with interval enclosures; null if σ is undecided.
    /// </summary>
    private static Rational[]? ShiftedPoint(NetworkSpec s, int seed, int top, Func<int, bool> positive)
    {
        if (!s.Bias) return null;
        var layout = s.Layout;
        var theta = SeededRationals.Draw(layout.Count, seed);
        try
        {
            for (int k = 1; k <= top; k++)
            {
                var box = theta.Select(Interval.FromRational).ToArray();
                var (_, a) = SkipFeatures.Forward(s, box, k - 1);   // layers below k only: σ_k is not applied before the shift
                for (int u = 0; u < s.Widths[k]; u++)
                {
                    int b = layout.BiasIndex(k, u);
                    var range = a.Select(sample => Enumerable.Range(0, s.Widths[k - 1]).Aggregate(box[b], (z, j) => z + box[layout.Weight(k, u, j)] * sample[k - 1][j]))
                                 .Aggregate((x, y) => x.Hull(y));
                    theta[b] += positive(k) ? Rational.Max(0, 1 - Rational.FromDouble(Math.Floor(range.Lo)))
                                            : -Rational.Max(0, 1 + Rational.FromDouble(Math.Ceiling(range.Hi)));
                }
            }
            return theta;
        }
        catch (Exception e) when (e is Scalars.UndecidedException or Scalars.NonSmoothPointException or NotSupportedException) { return null; }
    }
}
