using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Experiments.Dss;

/// <summary>
/// The three tasks of 002's string-sampling experiments as the authors ran them (notes §2.3–§2.5):
///   quadratic: f(x) = x²/2 + x/4 + 1/10 on x ~ U[0,1]; 1-4-4-1, sigmoid hidden and output layers, no biases;
///   cubic:     f(x) = 8x³ − 10x² + 3x on x ~ U[0,1]; 1-4-4-1, sigmoid hidden layers with biases, linear output;
///   cyclic:    E.1, three points of R² mapped x1 → x2 → x3 → x1; 2-3-2 relu, no biases (12 parameters).
/// Loss: the mean absolute error. Inputs are drawn on the dyadic grid k/2^16, so that the fixed test sample, and
/// with it the loss a certificate speaks about, is exact (y = f(x) is then an exact rational).
/// </summary>
public sealed record DssTask(string Name, NetworkSpec Architecture, Rational[]? Target, string Description)
{
    public const int GridBits = 16;

    public static readonly string[] Names = ["quadratic", "cubic", "cyclic"];

    public static DssTask Of(string name) => name switch
    {
        "quadratic" => new(name, Plain([1, 4, 4, 1], Activation.Sigmoid, Activation.Sigmoid, bias: false),
            [Rational.Create(1, 10), Rational.Create(1, 4), Rational.Create(1, 2)], "f(x) = x²/2 + x/4 + 1/10, x ~ U[0,1]; 1-4-4-1 sigmoid, sigmoid output, no biases"),
        "cubic" => new(name, Plain([1, 4, 4, 1], Activation.Sigmoid, Activation.Identity, bias: true),
            [Rational.Zero, 3, -10, 8], "f(x) = 8x³ − 10x² + 3x, x ~ U[0,1]; 1-4-4-1 sigmoid with biases, linear output"),
        "cyclic" => new(name, Plain([2, 3, 2], Activation.Relu, Activation.Identity, bias: false)
            .With(x: CyclicPoints, y: [CyclicPoints[1], CyclicPoints[2], CyclicPoints[0]]), null, "E.1: x1 = (1,0) → x2 = (0,1) → x3 = (−1,−1) → x1; 2-3-2 relu, no biases"),
        _ => throw new ArgumentException($"unknown task '{name}' (quadratic, cubic or cyclic)"),
    };

    private static readonly Rational[][] CyclicPoints = [[1, 0], [0, 1], [-1, -1]];

    /// <summary>Whether samples are drawn (regression) or fixed (the cyclic map's three points).</summary>
    public bool IsRegression => Target is not null;

    private static NetworkSpec Plain(int[] widths, Activation hidden, Activation output, bool bias) => new()
    {
        Widths = widths, HiddenActivations = Enumerable.Repeat(hidden, widths.Length - 2).ToArray(), OutputActivation = output,
        Bias = bias, Loss = LossKind.Mae, WeightDecay = Rational.Zero, X = [], Y = [],
    };

    public Rational TargetAt(Rational x)
    {
        Rational v = 0;
        for (int i = Target!.Length - 1; i >= 0; i--) v = v * x + Target[i];
        return v;
    }

    /// <summary>The fixed test sample as an exact spec (the loss every threshold and certificate refers to).</summary>
    public NetworkSpec TestSpec(int samples, int seed)
    {
        if (!IsRegression) return Architecture;
        var rng = new Random(seed);
        var x = Enumerable.Range(0, samples).Select(_ => Rational.Create(rng.Next(1 << GridBits), 1 << GridBits)).ToArray();
        return Architecture.With(x: x.Select(v => new[] { v }).ToArray(), y: x.Select(v => new[] { TargetAt(v) }).ToArray());
    }

    /// <summary>A batch holding the spec's samples in float32 (inputs k/2^16 exactly; targets rounded once).</summary>
    public static BatchNetwork.Batch BatchOf(NetworkSpec spec)
    {
        int n = spec.SampleCount;
        var x = Enumerable.Range(0, spec.InputWidth).Select(i => spec.X.Select(row => (float)row[i].ToDouble()).ToArray()).ToArray();
        var y = Enumerable.Range(0, spec.OutputWidth).Select(o => spec.Y.Select(row => (float)row[o].ToDouble()).ToArray()).ToArray();
        return new(x, y, n);
    }

    /// <summary>Fills <paramref name="batch"/> with fresh training samples (regression tasks only).</summary>
    public void Draw(SampleStream rng, BatchNetwork.Batch batch)
    {
        var x = batch.X[0];
        var y = batch.Y[0];
        double scale = 1.0 / (1 << GridBits);
        for (int s = 0; s < batch.Count; s++)
        {
            double v = (rng.Next() >> (64 - GridBits)) * scale, f = 0;
            for (int i = Target!.Length - 1; i >= 0; i--) f = f * v + TargetCoefficients[i];
            x[s] = (float)v;
            y[s] = (float)f;
        }
    }

    private double[] TargetCoefficients => _coefficients ??= Target!.Select(c => c.ToDouble()).ToArray();
    private double[]? _coefficients;

    /// <summary>The authors' initialisation: weights U[−1, 1], biases N(0, 1).</summary>
    public double[] Initial(Random rng)
    {
        var layout = Architecture.Layout;
        var theta = new double[layout.Count];
        for (int p = 0; p < theta.Length; p++)
            theta[p] = layout.IsWeight(p) ? 2 * rng.NextDouble() - 1 : Experiments.NguyenSkip.StandardNormal(rng);
        return theta;
    }
}

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014), the generator of the training samples: training draws 10,000 of them at
/// every Adam step, and a seeded System.Random (its legacy subtractive generator) took a fifth of the sweep's time.
/// </summary>
public sealed class SampleStream(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
