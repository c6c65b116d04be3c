using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Experiments.Dss;

/// <summary>
/// The mean absolute error of a small plain network (sigmoid, relu or identity layers, biases optional) and its
/// gradient, on a batch of samples stored unit by unit (one array of N values per unit), so that every step is a vector
/// operation across samples. Samples, activations and deltas are float32, eight to a Vector256, as the authors' runs
/// were; θ, the gradient and the sums over blocks are double. Unit roundoff 6e-8 over the ~20 operations of a sample's
/// forward and backward pass and sums of 32 terms per lane keep the loss and gradient within 1e-5 relative of
/// double precision, far below the 1% sampling noise of a 10,000-sample mean that the thresholds are compared with. θ is ordered as the spec's <see cref="ParameterLayout"/>, so a bead found here
/// is a point of the spec the certificate speaks about. Numeric engine: no claim is decided with it.
/// </summary>
public sealed class BatchNetwork
{
    private readonly NetworkSpec _net;
    private readonly ParameterLayout _layout;
    private readonly float[][][] _a;     // _a[k][j]: unit j of layer k on the block's samples (k = 0: the inputs)
    private readonly float[][][] _delta; // ∂F/∂z for layer k
    private readonly float[] _theta;     // θ in float32, converted once per call

    /// <summary>Samples per block: a block's activations and deltas stay in the first-level cache.</summary>
    private const int Block = 256;

    public BatchNetwork(NetworkSpec net)
    {
        if (!net.IsPlain) throw new ArgumentException("the string sampler runs plain networks only");
        _net = net;
        _layout = net.Layout;
        _a = net.Widths.Select(w => Enumerable.Range(0, w).Select(_ => new float[Block]).ToArray()).ToArray();
        _delta = net.Widths.Select(w => Enumerable.Range(0, w).Select(_ => new float[Block]).ToArray()).ToArray();
        _theta = new float[_layout.Count];
    }

    public int ParameterCount => _layout.Count;

    /// <summary>The inputs of the batch: unit i of sample n is x[i][n] (a view this network reads, never writes).</summary>
    public sealed record Batch(float[][] X, float[][] Y, int Count);

    /// <summary>F(θ) = (1/(N m)) Σ_n Σ_o |f_o(x_n) − y_no|.</summary>
    public double Loss(ReadOnlySpan<double> theta, Batch batch) => Run(theta, batch, null);

    /// <summary>F(θ) and its gradient (sign of the residual, 0 where it is exactly 0: a subgradient, as autograd takes it).</summary>
    public double LossAndGradient(ReadOnlySpan<double> theta, Batch batch, Span<double> gradient)
    {
        gradient.Clear();
        return Run(theta, batch, gradient);
    }

    /// <summary>Block by block: forward, the loss, and (when a gradient is asked for) backward, accumulating.</summary>
    private double Run(ReadOnlySpan<double> theta, Batch batch, Span<double> gradient)
    {
        int depth = _net.Depth, m = _net.OutputWidth;
        double scale = 1.0 / ((double)batch.Count * m), sum = 0;
        for (int q = 0; q < _theta.Length; q++) _theta[q] = (float)theta[q];
        for (int start = 0; start < batch.Count; start += Block)
        {
            int n = Math.Min(Block, batch.Count - start);
            Forward(batch, start, n);
            for (int o = 0; o < m; o++) sum += AbsoluteDifferenceSum(_a[depth][o].AsSpan(0, n), batch.Y[o].AsSpan(start, n));
            if (gradient.IsEmpty) continue;
            for (int o = 0; o < m; o++) Sign(_a[depth][o].AsSpan(0, n), batch.Y[o].AsSpan(start, n), (float)scale, _delta[depth][o].AsSpan(0, n));
            Backward(n, gradient);
        }
        return sum * scale;
    }

    private void Backward(int n, Span<double> gradient)
    {
        for (int k = _net.Depth; k >= 1; k--)
        {
            var act = _net.ActivationOf(k);
            for (int j = 0; j < _net.Widths[k]; j++)
            {
                var d = _delta[k][j].AsSpan(0, n);
                MultiplyByDerivative(act, _a[k][j].AsSpan(0, n), d);
                for (int i = 0; i < _net.Widths[k - 1]; i++) gradient[_layout.Weight(k, j, i)] += Dot(d, _a[k - 1][i].AsSpan(0, n));
                if (_layout.HasBias(k)) gradient[_layout.BiasIndex(k, j)] += Sum(d);
            }
            if (k == 1) break;
            for (int i = 0; i < _net.Widths[k - 1]; i++)
            {
                var below = _delta[k - 1][i].AsSpan(0, n);
                below.Clear();
                for (int j = 0; j < _net.Widths[k]; j++) MultiplyAdd(_theta[_layout.Weight(k, j, i)], _delta[k][j].AsSpan(0, n), below);
            }
        }
    }

    private void Forward(Batch batch, int start, int n)
    {
        for (int i = 0; i < _net.InputWidth; i++) batch.X[i].AsSpan(start, n).CopyTo(_a[0][i]);
        for (int k = 1; k <= _net.Depth; k++)
        {
            var act = _net.ActivationOf(k);
            for (int j = 0; j < _net.Widths[k]; j++)
            {
                var z = _a[k][j].AsSpan(0, n);
                z.Fill(_layout.HasBias(k) ? _theta[_layout.BiasIndex(k, j)] : 0);
                for (int i = 0; i < _net.Widths[k - 1]; i++) MultiplyAdd(_theta[_layout.Weight(k, j, i)], _a[k - 1][i].AsSpan(0, n), z);
                Activate(act, z);
            }
        }
    }

    // The vector kernels below load eight samples at a time (Vector256) from the spans' first elements and finish
    // the tail one value at a time; the spans of one call have equal lengths.

    private static Vector256<float> Load(ReadOnlySpan<float> x, int s) => Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(x), (nuint)s);
    private static void Store(Vector256<float> v, Span<float> x, int s) => v.StoreUnsafe(ref MemoryMarshal.GetReference(x), (nuint)s);

    /// <summary>d = scale·sign(f − y), 0 where f = y.</summary>
    private static void Sign(ReadOnlySpan<float> f, ReadOnlySpan<float> y, float scale, Span<float> d)
    {
        int s = 0;
        var (up, down) = (Vector256.Create(scale), Vector256.Create(-scale));
        for (; s + 8 <= d.Length; s += 8)
        {
            var (fv, yv) = (Load(f, s), Load(y, s));
            Store(Vector256.ConditionalSelect(Vector256.GreaterThan(fv, yv), up, Vector256.ConditionalSelect(Vector256.LessThan(fv, yv), down, Vector256<float>.Zero)), d, s);
        }
        for (; s < d.Length; s++) d[s] = f[s] > y[s] ? scale : f[s] < y[s] ? -scale : 0;
    }

    private static void Activate(Activation act, Span<float> z)
    {
        int s = 0;
        switch (act)
        {
            case IdentityActivation: return;
            case SigmoidActivation:
                for (; s + 8 <= z.Length; s += 8) Store(Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-Load(z, s))), z, s);
                for (; s < z.Length; s++) z[s] = 1 / (1 + MathF.Exp(-z[s]));
                return;
            case LeakyRelu { Alpha.IsZero: true }:
                for (; s + 8 <= z.Length; s += 8) Store(Vector256.Max(Load(z, s), Vector256<float>.Zero), z, s);
                for (; s < z.Length; s++) z[s] = MathF.Max(0, z[s]);
                return;
            default: throw new NotSupportedException($"activation {act.Name} in the string sampler");
        }
    }

    /// <summary>d ← d ⊙ σ'(z), written in σ(z) = a (sigmoid: a(1 − a); relu: a &gt; 0).</summary>
    private static void MultiplyByDerivative(Activation act, ReadOnlySpan<float> a, Span<float> d)
    {
        int s = 0;
        switch (act)
        {
            case IdentityActivation: return;
            case SigmoidActivation:
                for (; s + 8 <= d.Length; s += 8)
                {
                    var av = Load(a, s);
                    Store(Load(d, s) * av * (Vector256<float>.One - av), d, s);
                }
                for (; s < d.Length; s++) d[s] *= a[s] * (1 - a[s]);
                return;
            default:
                for (; s + 8 <= d.Length; s += 8)
                    Store(Vector256.ConditionalSelect(Vector256.GreaterThan(Load(a, s), Vector256<float>.Zero), Load(d, s), Vector256<float>.Zero), d, s);
                for (; s < d.Length; s++) if (a[s] <= 0) d[s] = 0;
                return;
        }
    }

    private static void MultiplyAdd(float c, ReadOnlySpan<float> x, Span<float> y)
    {
        int s = 0;
        var vc = Vector256.Create(c);
        for (; s + 8 <= y.Length; s += 8) Store(Load(x, s) * vc + Load(y, s), y, s);
        for (; s < y.Length; s++) y[s] += c * x[s];
    }

    private static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int s = 0;
        var acc = Vector256<float>.Zero;
        for (; s + 8 <= x.Length; s += 8) acc += Load(x, s) * Load(y, s);
        double sum = Vector256.Sum(acc);
        for (; s < x.Length; s++) sum += x[s] * y[s];
        return sum;
    }

    private static double Sum(ReadOnlySpan<float> x)
    {
        int s = 0;
        var acc = Vector256<float>.Zero;
        for (; s + 8 <= x.Length; s += 8) acc += Load(x, s);
        double sum = Vector256.Sum(acc);
        for (; s < x.Length; s++) sum += x[s];
        return sum;
    }

    private static double AbsoluteDifferenceSum(ReadOnlySpan<float> f, ReadOnlySpan<float> y)
    {
        int s = 0;
        var acc = Vector256<float>.Zero;
        for (; s + 8 <= f.Length; s += 8) acc += Vector256.Abs(Load(f, s) - Load(y, s));
        double sum = Vector256.Sum(acc);
        for (; s < f.Length; s++) sum += MathF.Abs(f[s] - y[s]);
        return sum;
    }
}
