using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using VerifyLandscape.Claims.Nguyen;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;

namespace VerifyLandscape.Experiments;

/// <summary>
/// 001's experiments on synthetic data (notes §1.4; MNIST and CIFAR10 are not available offline, and the paper's
/// tables need GPU-days): Gaussian blobs, 10 classes in 10 dimensions, inputs on a grid of 1/16.
///   nguyen-skip: a deep plain sigmoid MLP (10 hidden layers of 32) against the same net whose output also reads N
///     hidden units drawn from the lower layers (M = 32 + N ≥ N), trained alike; training error over time.
///   nguyen-rand: on the skip net, "rand" (U frozen at its initialisation, only V trained: the paper's experimental
///     A2) against training everything; training and held-out error.
/// Training: full-batch gradient descent with Nesterov momentum 0.9 on the mean cross-entropy (the double engine's
/// gradient), learning rate 0.05; initialisation N(0, 1/fan-in) weights, zero biases. Numeric evidence, not a proof.
/// </summary>
public static class NguyenSkip
{
    public const int Dimension = 10, Classes = 10, MinWidth = 32, HiddenLayers = 10, MaxSamples = 1000;

    /// <summary>Hidden width: 32, or wider when N exceeds the 9·32 units below the last hidden layer (the skip units are N of them).</summary>
    public static int Width(int samples) => Math.Max(MinWidth, (samples + HiddenLayers - 2) / (HiddenLayers - 1));
    public const double LearningRate = 0.05, Momentum = 0.9;

    public sealed record Curve(string Name, int[] Steps, double[] TrainingError, double[] Loss, double HeldOutError);
    public sealed record Result(string Experiment, ulong Seed, int Samples, int Steps, Curve[] Curves, double Seconds);

    public static Result RunSkip(int samples, int steps, ulong seed, IProgress<int>? progress = null)
    {
        var sw = Stopwatch.StartNew();
        var (train, test) = Data(samples, seed);
        var plain = Spec(train, null);
        var skip = Spec(train, SkipUnits(samples, seed));
        var curves = new[]
        {
            Train("plain", plain, Test(plain, test), Initial(plain, seed), steps, onlyOutput: false, progress, 0),
            Train($"skip (N = {samples} units wired out)", skip, Test(skip, test), Initial(skip, seed), steps, onlyOutput: false, progress, steps),
        };
        return new("nguyen-skip", seed, samples, steps, curves, sw.Elapsed.TotalSeconds);
    }

    public static Result RunRand(int samples, int steps, ulong seed, IProgress<int>? progress = null)
    {
        var sw = Stopwatch.StartNew();
        var (train, test) = Data(samples, seed);
        var skip = Spec(train, SkipUnits(samples, seed));
        var curves = new[]
        {
            Train("rand (U frozen, V trained)", skip, Test(skip, test), Initial(skip, seed), steps, onlyOutput: true, progress, 0),
            Train("full training", skip, Test(skip, test), Initial(skip, seed), steps, onlyOutput: false, progress, steps),
        };
        return new("nguyen-rand", seed, samples, steps, curves, sw.Elapsed.TotalSeconds);
    }

    private static ((Rational[][] X, int[] Y) Train, (Rational[][] X, int[] Y) Test) Data(int samples, ulong seed)
    {
        var rng = new Random((int)(seed % int.MaxValue));
        double Gaussian() => StandardNormal(rng);
        var means = Enumerable.Range(0, Classes).Select(_ => Enumerable.Range(0, Dimension).Select(_ => 1.5 * Gaussian()).ToArray()).ToArray();
        (Rational[][], int[]) Draw(int n)
        {
            var labels = Enumerable.Range(0, n).Select(_ => rng.Next(Classes)).ToArray();
            var x = labels.Select(y => means[y].Select(m => Rational.Create((long)Math.Round(16 * (m + Gaussian())), 16)).ToArray()).ToArray();
            return (x, labels);
        }
        return (Draw(samples), Draw(samples));
    }

    private static HiddenUnit[] SkipUnits(int samples, ulong seed)
    {
        var rng = new Random((int)(seed % int.MaxValue) + 1);
        int width = Width(samples);
        var pool = Enumerable.Range(1, HiddenLayers - 1).SelectMany(k => Enumerable.Range(0, width).Select(u => new HiddenUnit(k, u))).OrderBy(_ => rng.Next()).ToList();
        var last = Enumerable.Range(0, width).Select(u => new HiddenUnit(HiddenLayers, u));
        return [.. pool.Take(samples).OrderBy(u => u.Layer).ThenBy(u => u.Unit), .. last];
    }

    private static NetworkSpec Spec((Rational[][] X, int[] Y) data, HiddenUnit[]? skip) => new()
    {
        Widths = [Dimension, .. Enumerable.Repeat(Width(data.X.Length), HiddenLayers), Classes],
        HiddenActivations = Enumerable.Repeat<Activation>(Activation.Sigmoid, HiddenLayers).ToArray(),
        OutputActivation = Activation.Identity, Bias = true, OutputBias = skip is null, Loss = LossKind.CrossEntropy, WeightDecay = Rational.Zero,
        X = data.X, Y = SkipNetworks.OneHot(data.Y, Classes), Skip = skip,
    };

    private static NetworkSpec Test(NetworkSpec spec, (Rational[][] X, int[] Y) test) =>
        spec.With(x: test.X, y: SkipNetworks.OneHot(test.Y, Classes));

    private static double[] Initial(NetworkSpec spec, ulong seed)
    {
        var rng = new Random((int)(seed % int.MaxValue) + 2);
        var layout = spec.Layout;
        var theta = new double[layout.Count];
        for (int k = 1; k <= spec.Depth; k++)
            foreach (var p in layout.WeightsOf(k)) theta[p] = StandardNormal(rng) / Math.Sqrt(layout.FanIn(k));
        return theta;
    }

    /// <summary>Box–Muller (one of the pair).</summary>
    internal static double StandardNormal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static Curve Train(string name, NetworkSpec spec, NetworkSpec test, double[] theta, int steps, bool onlyOutput, IProgress<int>? progress, int offset)
    {
        var layout = spec.Layout;
        var trainable = Enumerable.Range(0, layout.Count).Select(p => !onlyOutput || layout.Name(p)[1..].StartsWith($"{spec.Depth}[", StringComparison.Ordinal)).ToArray();
        var velocity = new double[theta.Length];
        var (recorded, errors, losses) = (new List<int>(), new List<double>(), new List<double>());
        for (int step = 0; step <= steps; step++)
        {
            // Nesterov: the gradient at the look-ahead point θ + μv.
            var ahead = theta.Select((t, p) => t + Momentum * velocity[p]).ToArray();
            var at = new DenseNetwork(spec, ahead);
            if (step % 25 == 0 || step == steps)
            {
                var now = new DenseNetwork(spec, theta);
                recorded.Add(step);
                errors.Add(Error(now.Activations(spec.Depth), spec));
                losses.Add(now.Loss);
                progress?.Report(offset + step);
            }
            if (step == steps) break;
            for (int p = 0; p < theta.Length; p++)
            {
                if (!trainable[p]) continue;
                velocity[p] = Momentum * velocity[p] - LearningRate * at.Gradient[p];
                theta[p] += velocity[p];
            }
        }
        double heldOut = Error(new DenseNetwork(test, theta).Activations(test.Depth), test);
        return new(name, recorded.ToArray(), errors.ToArray(), losses.ToArray(), heldOut);
    }

    /// <summary>The fraction of samples whose label is not the unique largest logit.</summary>
    private static double Error(double[] logits, NetworkSpec spec)
    {
        int m = spec.OutputWidth, wrong = 0;
        var labels = SkipNetworks.Labels(spec);
        for (int i = 0; i < spec.SampleCount; i++)
        {
            int y = labels[i];
            double mine = logits[i * m + y];
            if (Enumerable.Range(0, m).Any(j => j != y && logits[i * m + j] >= mine)) wrong++;
        }
        return (double)wrong / spec.SampleCount;
    }

    public static JsonObject ToJson(Result r) => new()
    {
        ["experiment"] = r.Experiment, ["seed"] = r.Seed, ["samples"] = r.Samples, ["steps"] = r.Steps, ["seconds"] = Math.Round(r.Seconds, 2),
        ["setting"] = $"Gaussian blobs, {Classes} classes in {Dimension} dimensions; {HiddenLayers} sigmoid hidden layers of {Width(r.Samples)}; full-batch Nesterov GD, lr {LearningRate}, momentum {Momentum}",
        ["curves"] = new JsonArray(r.Curves.Select(c => (JsonNode?)new JsonObject
        {
            ["name"] = c.Name, ["heldOutError"] = c.HeldOutError,
            ["steps"] = new JsonArray(c.Steps.Select(s => (JsonNode?)s).ToArray()),
            ["trainingError"] = new JsonArray(c.TrainingError.Select(e => (JsonNode?)e).ToArray()),
            ["loss"] = new JsonArray(c.Loss.Select(e => (JsonNode?)Math.Round(e, 6)).ToArray()),
        }).ToArray()),
    };

    /// <summary>Training error against the step, one line per curve.</summary>
    public static string Svg(Result r)
    {
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        var svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"520\" height=\"320\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"520\" height=\"320\" fill=\"white\"/>\n");
        svg.AppendLine("<line x1=\"50\" y1=\"270\" x2=\"500\" y2=\"270\" stroke=\"black\"/><line x1=\"50\" y1=\"20\" x2=\"50\" y2=\"270\" stroke=\"black\"/>");
        svg.AppendLine($"<text x=\"220\" y=\"300\">step (of {r.Steps})</text><text x=\"4\" y=\"24\">1.0</text><text x=\"4\" y=\"274\">0.0</text><text x=\"60\" y=\"14\">{r.Experiment}: training error, N = {r.Samples}</text>");
        string[] colours = ["#c0392b", "#2471a3"];
        for (int c = 0; c < r.Curves.Length; c++)
        {
            var curve = r.Curves[c];
            var points = curve.Steps.Select((s, i) => $"{F(50 + 450.0 * s / Math.Max(1, r.Steps))},{F(270 - 250 * curve.TrainingError[i])}");
            svg.AppendLine($"<polyline fill=\"none\" stroke=\"{colours[c % 2]}\" stroke-width=\"1.5\" points=\"{string.Join(" ", points)}\"/>");
            svg.AppendLine($"<text x=\"300\" y=\"{40 + 14 * c}\" fill=\"{colours[c % 2]}\">{curve.Name}</text>");
        }
        return svg.Append("</svg>\n").ToString();
    }
}
