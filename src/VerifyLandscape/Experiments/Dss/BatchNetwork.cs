using System.Runtime.Intrinsics;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Experiments.Dss;

/// <summary>
/// The mean absolute error of a small plain network (sigmoid, relu or identity layers, biases optional) and its
/// gradient, in double, on a batch of samples stored unit by unit (one array of N values per unit), so that every step
/// is a vector operation across samples. θ is ordered as the spec's <see cref="ParameterLayout"/>, so a bead found here
/// is a point of the spec the certificate speaks about. Numeric engine: no claim is decided with it.
/// </summary>
public sealed class BatchNetwork
{
    private readonly NetworkSpec _net;
    private readonly ParameterLayout _layout;
    private readonly int _capacity;
    private readonly double[][][] _a;     // _a[k][j]: unit j of layer k on every sample (k = 0: the inputs)
    private readonly double[][][] _delta; // ∂F/∂z for layer k

    public BatchNetwork(NetworkSpec net, int capacity)
    {
        if (!net.IsPlain) throw new ArgumentException("the string sampler runs plain networks only");
        _net = net;
        _layout = net.Layout;
        _capacity = capacity;
        _a = net.Widths.Select(w => Enumerable.Range(0, w).Select(_ => new double[capacity]).ToArray()).ToArray();
        _delta = net.Widths.Select(w => Enumerable.Range(0, w).Select(_ => new double[capacity]).ToArray()).ToArray();
    }

    public int ParameterCount => _layout.Count;

    /// <summary>The inputs of the batch: unit i of sample n is x[i][n] (a view this network reads, never writes).</summary>
    public sealed record Batch(double[][] X, double[][] Y, int Count);

    /// <summary>F(θ) = (1/(N m)) Σ_n Σ_o |f_o(x_n) − y_no|.</summary>
    public double Loss(ReadOnlySpan<double> theta, Batch batch)
    {
        Forward(theta, batch);
        int n = batch.Count, m = _net.OutputWidth;
        double sum = 0;
        for (int o = 0; o < m; o++) sum += AbsoluteDifferenceSum(_a[^1][o].AsSpan(0, n), batch.Y[o].AsSpan(0, n));
        return sum / ((double)n * m);
    }

    /// <summary>F(θ) and its gradient (sign of the residual, 0 where it is exactly 0: a subgradient, as autograd takes it).</summary>
    public double LossAndGradient(ReadOnlySpan<double> theta, Batch batch, Span<double> gradient)
    {
        double loss = Loss(theta, batch);
        int n = batch.Count, depth = _net.Depth, m = _net.OutputWidth;
        double scale = 1.0 / ((double)n * m);
        for (int o = 0; o < m; o++)
        {
            var d = _delta[depth][o].AsSpan(0, n);
            var f = _a[depth][o].AsSpan(0, n);
            var y = batch.Y[o].AsSpan(0, n);
            for (int s = 0; s < n; s++) d[s] = f[s] > y[s] ? scale : f[s] < y[s] ? -scale : 0;
        }
        for (int k = depth; k >= 1; k--)
        {
            var act = _net.ActivationOf(k);
            for (int j = 0; j < _net.Widths[k]; j++)
            {
                var d = _delta[k][j].AsSpan(0, n);
                MultiplyByDerivative(act, _a[k][j].AsSpan(0, n), d);
                for (int i = 0; i < _net.Widths[k - 1]; i++) gradient[_layout.Weight(k, j, i)] = Dot(d, _a[k - 1][i].AsSpan(0, n));
                if (_layout.HasBias(k)) gradient[_layout.BiasIndex(k, j)] = Sum(d);
            }
            if (k == 1) break;
            for (int i = 0; i < _net.Widths[k - 1]; i++)
            {
                var below = _delta[k - 1][i].AsSpan(0, n);
                below.Clear();
                for (int j = 0; j < _net.Widths[k]; j++) MultiplyAdd(theta[_layout.Weight(k, j, i)], _delta[k][j].AsSpan(0, n), below);
            }
        }
        return loss;
    }

    private void Forward(ReadOnlySpan<double> theta, Batch batch)
    {
        int n = batch.Count;
        if (n > _capacity) throw new ArgumentException($"batch of {n} exceeds the capacity {_capacity}");
        for (int i = 0; i < _net.InputWidth; i++) batch.X[i].AsSpan(0, n).CopyTo(_a[0][i]);
        for (int k = 1; k <= _net.Depth; k++)
        {
            var act = _net.ActivationOf(k);
            for (int j = 0; j < _net.Widths[k]; j++)
            {
                var z = _a[k][j].AsSpan(0, n);
                z.Fill(_layout.HasBias(k) ? theta[_layout.BiasIndex(k, j)] : 0);
                for (int i = 0; i < _net.Widths[k - 1]; i++) MultiplyAdd(theta[_layout.Weight(k, j, i)], _a[k - 1][i].AsSpan(0, n), z);
                Activate(act, z);
            }
        }
    }

    // The vector kernels below work on Vector256<double> and finish the tail one value at a time.

    private static void Activate(Activation act, Span<double> z)
    {
        int s = 0;
        switch (act)
        {
            case IdentityActivation: return;
            case SigmoidActivation:
                for (; s + 4 <= z.Length; s += 4)
                {
                    var v = Vector256.Create((ReadOnlySpan<double>)z.Slice(s, 4));
                    (Vector256<double>.One / (Vector256<double>.One + Vector256.Exp(-v))).CopyTo(z.Slice(s, 4));
                }
                for (; s < z.Length; s++) z[s] = 1 / (1 + Math.Exp(-z[s]));
                return;
            case LeakyRelu { Alpha.IsZero: true }:
                for (; s < z.Length; s++) z[s] = Math.Max(0, z[s]);
                return;
            default: throw new NotSupportedException($"activation {act.Name} in the string sampler");
        }
    }

    /// <summary>d ← d ⊙ σ'(z), written in σ(z) = a (sigmoid: a(1 − a); relu: a &gt; 0).</summary>
    private static void MultiplyByDerivative(Activation act, ReadOnlySpan<double> a, Span<double> d)
    {
        switch (act)
        {
            case IdentityActivation: return;
            case SigmoidActivation:
                for (int s = 0; s < d.Length; s++) d[s] *= a[s] * (1 - a[s]);
                return;
            default:
                for (int s = 0; s < d.Length; s++) if (a[s] <= 0) d[s] = 0;
                return;
        }
    }

    private static void MultiplyAdd(double c, ReadOnlySpan<double> x, Span<double> y)
    {
        int s = 0;
        var vc = Vector256.Create(c);
        for (; s + 4 <= y.Length; s += 4)
            (Vector256.Create(x.Slice(s, 4)) * vc + Vector256.Create((ReadOnlySpan<double>)y.Slice(s, 4))).CopyTo(y.Slice(s, 4));
        for (; s < y.Length; s++) y[s] += c * x[s];
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int s = 0;
        var acc = Vector256<double>.Zero;
        for (; s + 4 <= x.Length; s += 4) acc += Vector256.Create(x.Slice(s, 4)) * Vector256.Create(y.Slice(s, 4));
        double sum = Vector256.Sum(acc);
        for (; s < x.Length; s++) sum += x[s] * y[s];
        return sum;
    }

    private static double Sum(ReadOnlySpan<double> x)
    {
        double sum = 0;
        foreach (var v in x) sum += v;
        return sum;
    }

    private static double AbsoluteDifferenceSum(ReadOnlySpan<double> f, ReadOnlySpan<double> y)
    {
        int s = 0;
        var acc = Vector256<double>.Zero;
        for (; s + 4 <= f.Length; s += 4) acc += Vector256.Abs(Vector256.Create(f.Slice(s, 4)) - Vector256.Create(y.Slice(s, 4)));
        double sum = Vector256.Sum(acc);
        for (; s < f.Length; s++) sum += Math.Abs(f[s] - y[s]);
        return sum;
    }
}
