using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Numerics;

/// <summary>
/// Seeded random networks for numeric checks and benchmarks: data uniform in [−1, 1] (rationals k/1000, so the
/// exact layer reads the same numbers), half-mse loss, biases on, parameters as PyTorch's default for linear
/// layers: uniform in ±1/√fan_in.
/// </summary>
public static class RandomNetworks
{
    public static NetworkSpec Spec(int[] widths, Activation hidden, int samples, int seed, LossKind loss = LossKind.HalfMse)
    {
        var rng = new Random(seed);
        Rational Uniform() => Rational.Create(rng.Next(-1000, 1001), 1000);
        return new NetworkSpec
        {
            Widths = widths,
            HiddenActivations = Enumerable.Repeat(hidden, widths.Length - 2).ToArray(),
            OutputActivation = Activation.Identity,
            Bias = true,
            Loss = loss,
            WeightDecay = Rational.Zero,
            X = Enumerable.Range(0, samples).Select(_ => Enumerable.Range(0, widths[0]).Select(_ => Uniform()).ToArray()).ToArray(),
            Y = Enumerable.Range(0, samples).Select(_ => Enumerable.Range(0, widths[^1]).Select(_ => Uniform()).ToArray()).ToArray(),
        };
    }

    /// <summary>Uniform in ±1/√fan_in for W_k and b_k (fan_in = n_{k−1}).</summary>
    public static double[] DefaultInitialisation(NetworkSpec net, int seed)
    {
        var rng = new Random(seed);
        var layout = net.Layout;
        var theta = new double[layout.Count];
        for (int k = 1; k <= net.Depth; k++)
        {
            double bound = 1 / Math.Sqrt(net.Widths[k - 1]);
            foreach (var p in layout.WeightsOf(k).Concat(layout.BiasesOf(k))) theta[p] = (2 * rng.NextDouble() - 1) * bound;
        }
        return theta;
    }

    public static (NetworkSpec Spec, double[] Theta) Create(int[] widths, Activation hidden, int samples, int seed)
    {
        var spec = Spec(widths, hidden, samples, seed);
        return (spec, DefaultInitialisation(spec, seed + 1));
    }
}
