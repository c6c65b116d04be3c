using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;

namespace VerifyLandscape.Experiments;

/// <summary>
/// Milne §4's toy experiment (M-exp): f(x) = x/4, 100 points uniform in [−1, 1], one hidden relu layer of width 2,
/// no biases, no σ on the output, half-mse, λ = 0.4, gradient descent with η = 0.1 from PyTorch's default
/// initialisation for linear layers (uniform in ±1/√fan_in: ±1 for W0, ±1/√2 for W1). Stopping rule: ‖∇ℓ_λ‖ &lt; 1e-8,
/// or 20,000 steps. For each trial: the fraction of the total change in ℓ_λ made after the trajectory first enters
/// U(λ) = {ℓ(W)^{1/2} ‖W‖_*^{H−1} &lt; λ / (2H(H+1) r)} (H = 1: ℓ &lt; (λ/4r)²), r = max|x_i|; 1 if it starts inside,
/// 0 if it never enters. The paper reports 0.872 ± 0.223 over 1000 trials.
/// Sensitivity: the same trajectories are also scored against U's threshold on ℓ multiplied by 1.5, 2 and 3 (the
/// constant of (6) is a reconstruction, and W = 0, where the trajectories end, sits right at the unscaled threshold).
/// The gradient is written out for this network (two weights per hidden unit) for speed, and is checked against the
/// engine in the tests; the normalised second derivative γ''/‖∇ℓ_λ‖² = 2∇ℓ_λᵀH∇ℓ_λ/‖∇ℓ_λ‖² along the plotted
/// trajectory uses the engine's H v.
/// </summary>
public static class MilneToy
{
    public const double Lambda = 0.4, Eta = 0.1, GradientTolerance = 1e-8;
    public const int Points = 100, MaxSteps = 20000;

    /// <summary>Multipliers of U(λ)'s threshold on ℓ for the sensitivity table; 1 is the reconstructed constant.</summary>
    public static readonly double[] ThresholdScales = [1, 1.5, 2, 3];

    /// <summary>One trajectory; Fractions[i] and EnteredAtScaled[i] belong to ThresholdScales[i].</summary>
    public sealed record Trial(int Steps, bool Converged, double InitialLoss, double FinalLoss, double[] Fractions, int[] EnteredAtScaled)
    {
        /// <summary>Under U(λ) as reconstructed (scale 1).</summary>
        public double Fraction => Fractions[0];
        public int EnteredAt => EnteredAtScaled[0];
    }

    public sealed record Scaled(double Scale, double Mean, double StandardDeviation, int NeverEntered);

    public sealed record Result(int Trials, ulong Seed, double Mean, double StandardDeviation, Trial[] All, double Threshold,
                                double[] Curve, double[] NormalisedSecondDerivative, int CurveEnteredAt, double Seconds, Scaled[] Sensitivity,
                                Lemma8Check? Lemma8);

    /// <summary>
    /// Lemma 8 along the plotted trajectory, from the first step t₀ after which γ'' stays positive: C = the smallest
    /// γ''/‖∇ℓ_λ‖² there (and its 10th percentile, the paper's statistic), and the largest ratio
    /// ‖∇ℓ_λ(k)‖² / (‖∇ℓ_λ(t₀)‖² e^{−Cη(k−t₀)}). The lemma is about gradient flow (ratio ≤ 1); gradient descent with
    /// step η follows it up to O(η²) terms, so a ratio slightly above 1 is not a contradiction.
    /// </summary>
    public sealed record Lemma8Check(int ConvexFrom, double MinimumNormalised, double Percentile10, double MaxRatio, int Steps);

    /// <summary>The data set (fixed by the seed), as a spec: widths 1-2-1, relu, no biases, half-mse, λ = 0.4.</summary>
    public static NetworkSpec Spec(ulong seed)
    {
        var rng = new Random(unchecked((int)seed));
        var x = Enumerable.Range(0, Points).Select(_ => Rational.FromDouble(2 * rng.NextDouble() - 1)).ToArray();
        return new NetworkSpec
        {
            Widths = [1, 2, 1], HiddenActivations = [Activation.Relu], OutputActivation = Activation.Identity, Bias = false,
            Loss = LossKind.HalfMse, WeightDecay = Rational.FromDouble(Lambda),
            X = x.Select(v => new[] { v }).ToArray(), Y = x.Select(v => new[] { v / 4 }).ToArray(),
        };
    }

    /// <summary>ℓ (without λ) and ∇ℓ_λ at θ = (w0, w1, v0, v1): hidden pre-activations w_j x, output Σ v_j relu(w_j x).</summary>
    public static (double Loss, double[] Gradient) Evaluate(double[] x, double[] y, double[] theta)
    {
        double loss = 0;
        var g = new double[4];
        int n = x.Length;
        for (int i = 0; i < n; i++)
        {
            double h0 = Math.Max(theta[0] * x[i], 0), h1 = Math.Max(theta[1] * x[i], 0);
            double r = theta[2] * h0 + theta[3] * h1 - y[i];
            loss += r * r;
            if (theta[0] * x[i] > 0) g[0] += r * theta[2] * x[i];
            if (theta[1] * x[i] > 0) g[1] += r * theta[3] * x[i];
            g[2] += r * h0;
            g[3] += r * h1;
        }
        for (int p = 0; p < 4; p++) g[p] = g[p] / n + Lambda * theta[p];
        return (loss / (2 * n), g);
    }

    public static Result Run(int trials, ulong seed, IProgress<int>? progress = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var spec = Spec(seed);
        double[] x = spec.X.Select(r => r[0].ToDouble()).ToArray(), y = spec.Y.Select(r => r[0].ToDouble()).ToArray();
        double radius = x.Max(Math.Abs);
        double threshold = Math.Pow(Lambda / (4 * radius), 2); // U(λ) for H = 1: ℓ < (λ / (2·1·2·r))²
        var all = new Trial[trials];
        double[] curve = [], normalised = [];
        Lemma8Check? lemma8 = null;
        int curveEntered = -1;
        var rng = new Random(unchecked((int)seed) + 1);
        for (int t = 0; t < trials; t++)
        {
            // PyTorch's nn.Linear default: uniform in ±1/√fan_in; W0: 2×1 (fan_in 1), W1: 1×2 (fan_in 2).
            var theta = new[] { Uniform(rng, 1), Uniform(rng, 1), Uniform(rng, 1 / Math.Sqrt(2)), Uniform(rng, 1 / Math.Sqrt(2)) };
            var regularised = new List<double>();
            var plain = new List<double>();
            var entered = Enumerable.Repeat(-1, ThresholdScales.Length).ToArray();
            int step = 0;
            bool converged = false;
            var start = (double[])theta.Clone();
            for (; step <= MaxSteps; step++)
            {
                var (loss, g) = Evaluate(x, y, theta);
                regularised.Add(loss + 0.5 * Lambda * theta.Sum(w => w * w));
                if (t == 0) plain.Add(loss);
                for (int k = 0; k < entered.Length; k++)
                    if (entered[k] < 0 && loss < threshold * ThresholdScales[k]) entered[k] = step;
                if (Math.Sqrt(g.Sum(v => v * v)) < GradientTolerance) { converged = true; break; }
                for (int p = 0; p < 4; p++) theta[p] -= Eta * g[p];
            }
            double total = regularised[0] - regularised[^1];
            var fractions = entered.Select(e => e < 0 ? 0 : total <= 0 ? 1 : (regularised[e] - regularised[^1]) / total).ToArray();
            all[t] = new Trial(step, converged, regularised[0], regularised[^1], fractions, entered);
            if (t == 0)
            {
                curve = plain.ToArray();
                curveEntered = entered[0];
                (normalised, var gradientNorms) = SecondDerivativeAlong(spec, x, y, start, Math.Min(step, 400));
                lemma8 = Lemma8(normalised, gradientNorms);
            }
            progress?.Report(t + 1);
        }
        var sensitivity = ThresholdScales.Select((scale, k) =>
        {
            double mean = all.Average(a => a.Fractions[k]);
            double sd = Math.Sqrt(all.Sum(a => (a.Fractions[k] - mean) * (a.Fractions[k] - mean)) / Math.Max(1, trials - 1));
            return new Scaled(scale, mean, sd, all.Count(a => a.EnteredAtScaled[k] < 0));
        }).ToArray();
        return new Result(trials, seed, sensitivity[0].Mean, sensitivity[0].StandardDeviation, all, threshold, curve, normalised, curveEntered,
                          watch.Elapsed.TotalSeconds, sensitivity, lemma8);
    }

    private static double Uniform(Random rng, double bound) => (2 * rng.NextDouble() - 1) * bound;

    /// <summary>2∇ℓ_λᵀ H ∇ℓ_λ / ‖∇ℓ_λ‖² along the first steps of a trajectory, H v from the engine (R-operator).</summary>
    private static (double[] Normalised, double[] GradientNormsSquared) SecondDerivativeAlong(NetworkSpec spec, double[] x, double[] y, double[] start, int steps)
    {
        var theta = (double[])start.Clone();
        var values = new List<double>();
        var norms = new List<double>();
        for (int s = 0; s <= steps; s++)
        {
            // The engine's parameter order is W1 (2×1: w0, w1) then W2 (1×2: v0, v1): the same as θ here.
            try
            {
                var engine = new DenseNetwork(spec, theta);
                var g = engine.Gradient;
                double g2 = g.Sum(v => v * v);
                if (g2 == 0) break;
                var hg = engine.HessianVector(g);
                values.Add(2 * g.Zip(hg).Sum(p => p.First * p.Second) / g2);
                norms.Add(g2);
                for (int p = 0; p < 4; p++) theta[p] -= Eta * g[p];
            }
            catch (Scalars.NonSmoothPointException) { break; }
        }
        return (values.ToArray(), norms.ToArray());
    }

    private static Lemma8Check? Lemma8(double[] normalised, double[] gradientNormsSquared)
    {
        int last = Array.FindLastIndex(normalised, v => v <= 0);
        int from = last + 1;
        if (from >= normalised.Length) return null;
        var window = normalised[from..];
        double c = window.Min();
        var sorted = window.Order().ToArray();
        double p10 = sorted[(int)Math.Floor(0.1 * (sorted.Length - 1))];
        double ratio = 0;
        for (int k = from; k < gradientNormsSquared.Length; k++)
            ratio = Math.Max(ratio, gradientNormsSquared[k] / (gradientNormsSquared[from] * Math.Exp(-c * Eta * (k - from))));
        return new Lemma8Check(from, c, p10, ratio, normalised.Length);
    }

    public static JsonObject ToJson(Result r) => new()
    {
        ["experiment"] = "milne-toy",
        ["setting"] = "f(x) = x/4, 100 points uniform in [-1, 1], widths 1-2-1, relu hidden, no biases, no σ on the output, half-mse, λ = 0.4, η = 0.1, init uniform ±1/√fan_in (PyTorch's nn.Linear default), stop when ‖∇ℓ_λ‖ < 1e-8 or after 20000 steps",
        ["trials"] = r.Trials, ["seed"] = r.Seed.ToString(), ["seconds"] = r.Seconds,
        ["fractionMean"] = r.Mean, ["fractionStandardDeviation"] = r.StandardDeviation,
        ["paper"] = "0.872 ± 0.223",
        ["converged"] = r.All.Count(t => t.Converged), ["neverEntered"] = r.All.Count(t => t.EnteredAt < 0),
        ["uThresholdOnLoss"] = r.Threshold,
        ["thresholdSensitivity"] = new JsonArray(r.Sensitivity.Select(x => (JsonNode)new JsonObject
        {
            ["thresholdScale"] = x.Scale, ["thresholdOnLoss"] = r.Threshold * x.Scale, ["fractionMean"] = x.Mean,
            ["fractionStandardDeviation"] = x.StandardDeviation, ["neverEntered"] = x.NeverEntered,
        }).ToArray()),
        ["histogram"] = new JsonArray(Histogram(r.All.Select(t => t.Fraction), 20).Select(c => (JsonNode)c).ToArray()),
        ["fractions"] = new JsonArray(r.All.Select(t => (JsonNode)Math.Round(t.Fraction, 6)).ToArray()),
        ["curve"] = new JsonArray(r.Curve.Take(200).Select(v => (JsonNode)v).ToArray()),
        ["curveEnteredAt"] = r.CurveEnteredAt,
        ["normalisedSecondDerivative"] = new JsonArray(r.NormalisedSecondDerivative.Select(v => (JsonNode)v).ToArray()),
        ["lemma8"] = r.Lemma8 is { } l ? new JsonObject
        {
            ["convexFromStep"] = l.ConvexFrom, ["minimumNormalisedSecondDerivative"] = l.MinimumNormalised,
            ["percentile10"] = l.Percentile10, ["maxRatioToBound"] = l.MaxRatio, ["steps"] = l.Steps,
            ["note"] = "gradient-flow bound ‖∇ℓ_λ(t)‖² ≤ ‖∇ℓ_λ(t0)‖² e^{−C(t−t0)}, t = η·step; gradient descent follows it up to O(η²)",
        } : null,
    };

    public static int[] Histogram(IEnumerable<double> values, int bins)
    {
        var counts = new int[bins];
        foreach (var v in values) counts[Math.Clamp((int)(v * bins), 0, bins - 1)]++;
        return counts;
    }

    /// <summary>
    /// SVG pictures: the histogram of fractions under the reconstructed threshold, the same under the threshold on ℓ
    /// doubled (the sensitivity row closest to the paper), and one training-loss curve with the U(λ) threshold.
    /// </summary>
    public static (string Histogram, string HistogramDoubled, string Curve) Pictures(Result r) =>
        (HistogramSvg(r, 0), HistogramSvg(r, Array.IndexOf(ThresholdScales, 2.0)), CurveSvg(r));

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string HistogramSvg(Result r, int k)
    {
        var counts = Histogram(r.All.Select(t => t.Fractions[k]), 20);
        int max = Math.Max(1, counts.Max());
        var x = r.Sensitivity[k];
        string which = x.Scale == 1 ? "U(λ) as reconstructed" : $"U's threshold on ℓ ×{F(x.Scale)}";
        var h = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"480\" height=\"300\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"480\" height=\"300\" fill=\"white\"/>\n");
        h.AppendLine($"<text x=\"10\" y=\"16\" font-size=\"13\">Fraction of the change in ℓ_λ made inside U: {F(x.Mean)} ± {F(x.StandardDeviation)} ({r.Trials} trials; paper 0.872 ± 0.223)</text>");
        h.AppendLine($"<text x=\"10\" y=\"32\">{which}</text>");
        for (int b = 0; b < 20; b++)
        {
            double height = 220.0 * counts[b] / max;
            h.AppendLine($"<rect x=\"{40 + b * 21}\" y=\"{F(260 - height)}\" width=\"19\" height=\"{F(height)}\" fill=\"#1f3b73\"><title>[{F(b / 20.0)}, {F((b + 1) / 20.0)}): {counts[b]}</title></rect>");
        }
        h.AppendLine("<line x1=\"40\" y1=\"260\" x2=\"460\" y2=\"260\" stroke=\"black\"/><text x=\"40\" y=\"276\">0</text><text x=\"450\" y=\"276\">1</text>");
        h.AppendLine($"<text x=\"200\" y=\"292\">fraction of loss change</text><text x=\"4\" y=\"44\">{max}</text></svg>");
        return h.ToString();
    }

    private static string CurveSvg(Result r)
    {
        var curve = r.Curve.Take(200).ToArray();
        double top = Math.Max(curve.DefaultIfEmpty(1).Max(), r.Threshold * 2);
        double Y(double v) => 260 - 220 * v / top;
        var c = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"480\" height=\"300\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"480\" height=\"300\" fill=\"white\"/>\n");
        c.AppendLine($"<text x=\"10\" y=\"16\" font-size=\"13\">Training loss ℓ vs step (trial 1); dashed: U(λ) threshold ℓ = {F(r.Threshold)}</text>");
        c.AppendLine("<polyline fill=\"none\" stroke=\"#b22222\" stroke-width=\"1.5\" points=\"" +
                     string.Join(" ", curve.Select((v, k) => $"{F(40 + 420.0 * k / Math.Max(1, curve.Length - 1))},{F(Y(v))}")) + "\"/>");
        c.AppendLine($"<line x1=\"40\" y1=\"{F(Y(r.Threshold))}\" x2=\"460\" y2=\"{F(Y(r.Threshold))}\" stroke=\"black\" stroke-dasharray=\"5,4\"/>");
        c.AppendLine($"<line x1=\"40\" y1=\"260\" x2=\"460\" y2=\"260\" stroke=\"black\"/><text x=\"40\" y=\"276\">0</text><text x=\"440\" y=\"276\">{curve.Length - 1}</text><text x=\"4\" y=\"44\">{F(top)}</text></svg>");
        return c.ToString();
    }
}
