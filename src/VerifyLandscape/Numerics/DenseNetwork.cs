using VerifyLandscape.Networks;
using VerifyLandscape.Scalars;

namespace VerifyLandscape.Numerics;

/// <summary>
/// The CPU double engine: the same mathematics as <see cref="Derivation.NetworkDerivatives{T}"/> (reverse mode for
/// the gradient, Pearlmutter's R-operator for H v), but with all N samples batched, so that every layer step is
/// one matrix product (<see cref="Gemm"/>): Z_k = A_{k−1} W_kᵀ, E_{k−1} = Δ_k W_k, ∂L/∂W_k = Δ_kᵀ A_{k−1}.
/// Matrices are row-major with one row per sample (N × n_k).
///
/// Memory: the point's caches hold 6·N·Σn_k doubles; one H v needs another 5·N·Σn_k (per thread);
/// the full Hessian 8·P² bytes (P = 9089: 661 MB).
/// </summary>
public sealed class DenseNetwork : IDerivativeBackend
{
    private readonly NetworkSpec _net;
    private readonly ParameterLayout _layout;
    private readonly int _depth, _n;
    private readonly int[] _w;
    private readonly double[][] _weights;    // W_k, n_k × n_{k−1}
    private readonly double[][] _weightsT;   // W_kᵀ
    private readonly double[][] _biases;
    private readonly double[][] _a, _s1, _s2, _delta, _deltaT, _e; // per layer, N × n_k (deltaT: n_k × N)
    private readonly double[] _dg, _d2g;      // N × m and N × m × m
    private readonly double _lambda;

    public string Name => "cpu";
    public int ParameterCount => _layout.Count;
    public double Loss { get; }
    public double[] Gradient { get; }

    public DenseNetwork(NetworkSpec net, double[] theta)
    {
        if (theta.Length != net.ParameterCount) throw new ArgumentException($"point has {theta.Length} values, the network has {net.ParameterCount} parameters");
        _net = net;
        _layout = net.Layout;
        _depth = net.Depth;
        _n = net.SampleCount;
        _w = net.Widths;
        _lambda = net.WeightDecay.ToDouble();
        _weights = new double[_depth + 1][];
        _weightsT = new double[_depth + 1][];
        _biases = new double[_depth + 1][];
        for (int k = 1; k <= _depth; k++)
        {
            _weights[k] = _layout.WeightsOf(k).Select(p => theta[p]).ToArray();
            _weightsT[k] = new double[_w[k] * _w[k - 1]];
            Gemm.Transpose(_weights[k], _weightsT[k], _w[k], _w[k - 1]);
            _biases[k] = net.Bias ? _layout.BiasesOf(k).Select(p => theta[p]).ToArray() : new double[_w[k]];
        }
        _a = new double[_depth + 1][]; _s1 = new double[_depth + 1][]; _s2 = new double[_depth + 1][];
        _delta = new double[_depth + 1][]; _deltaT = new double[_depth + 1][]; _e = new double[_depth + 1][];
        _dg = new double[_n * _w[_depth]];
        _d2g = new double[_n * _w[_depth] * _w[_depth]];

        Loss = Forward();
        Gradient = new double[_layout.Count];
        Backward(Gradient);
        if (_lambda != 0)
            for (int p = 0; p < theta.Length; p++)
                if (_layout.IsWeight(p)) { Loss += 0.5 * _lambda * theta[p] * theta[p]; Gradient[p] += _lambda * theta[p]; }
    }

    private double Forward()
    {
        _a[0] = new double[_n * _w[0]];
        for (int i = 0; i < _n; i++) for (int j = 0; j < _w[0]; j++) _a[0][i * _w[0] + j] = _net.X[i][j].ToDouble();
        for (int k = 1; k <= _depth; k++)
        {
            int width = _w[k];
            var z = new double[_n * width];
            Gemm.Multiply(_a[k - 1], _weightsT[k], z, _n, _w[k - 1], width);
            var a = _a[k] = new double[z.Length];
            var s1 = _s1[k] = new double[z.Length];
            var s2 = _s2[k] = new double[z.Length];
            var sigma = _net.ActivationOf(k);
            for (int q = 0; q < z.Length; q++)
            {
                double zq = z[q] + _biases[k][q % width];
                (a[q], s1[q], s2[q]) = Jet(sigma, zq, k, q / width, q % width);
            }
        }
        double loss = 0;
        int m = _w[_depth];
        var y = new double[m];
        for (int i = 0; i < _n; i++)
        {
            for (int o = 0; o < m; o++) y[o] = _net.Y[i][o].ToDouble();
            loss += LossHead(_a[_depth].AsSpan(i * m, m), y, _dg.AsSpan(i * m, m), _d2g.AsSpan(i * m * m, m * m));
        }
        return loss;
    }

    private static (double, double, double) Jet(Activation sigma, double z, int layer, int sample, int unit)
    {
        if (sigma is SmoothActivation smooth) return smooth.Evaluate(z);
        if (sigma is IdentityActivation) return (z, 1, 0);
        try
        {
            var jet = sigma.Apply(new F64(z), "");
            return (jet.Value.Value, jet.First.Value, jet.Second.Value);
        }
        catch (NonSmoothPointException)
        {
            throw new NonSmoothPointException($"{sigma.Name} at layer {layer} unit {unit}, sample {sample}: pre-activation exactly 0");
        }
    }

    /// <summary>One sample's loss, with its gradient and Hessian in the output (as the exact engine's LossHead).</summary>
    private double LossHead(ReadOnlySpan<double> f, double[] y, Span<double> dg, Span<double> d2g)
    {
        int m = f.Length;
        d2g.Clear();
        if (_net.Loss is LossKind.Sse or LossKind.HalfMse)
        {
            double c = _net.Loss == LossKind.Sse ? 1 : 1.0 / (2 * _n), g = 0;
            for (int o = 0; o < m; o++)
            {
                double r = f[o] - y[o];
                g += c * r * r;
                dg[o] = 2 * c * r;
                d2g[o * m + o] = 2 * c;
            }
            return g;
        }
        // Cross-entropy against a probability vector y, scaled by 1/N (see NetworkDerivatives.LossHead).
        double max = double.NegativeInfinity, sumY = 0, dot = 0;
        for (int o = 0; o < m; o++) { max = Math.Max(max, f[o]); sumY += y[o]; dot += y[o] * f[o]; }
        double sumExp = 0;
        for (int o = 0; o < m; o++) sumExp += Math.Exp(f[o] - max);
        double lse = max + Math.Log(sumExp), cN = 1.0 / _n;
        Span<double> p = stackalloc double[m];
        for (int o = 0; o < m; o++) p[o] = Math.Exp(f[o] - lse);
        for (int o = 0; o < m; o++)
        {
            dg[o] = cN * (sumY * p[o] - y[o]);
            for (int q = 0; q < m; q++) d2g[o * m + q] = cN * sumY * ((o == q ? p[o] : 0) - p[o] * p[q]);
        }
        return cN * (sumY * lse - dot);
    }

    private void Backward(double[] gradient)
    {
        int m = _w[_depth];
        var delta = _delta[_depth] = new double[_n * m];
        for (int q = 0; q < delta.Length; q++) delta[q] = _s1[_depth][q] * _dg[q];
        for (int k = _depth; k >= 1; k--)
        {
            _deltaT[k] = new double[_delta[k].Length];
            Gemm.Transpose(_delta[k], _deltaT[k], _n, _w[k]);
            AccumulateLayer(gradient, k, _deltaT[k], _a[k - 1]);
            if (k == 1) break;
            var e = _e[k - 1] = new double[_n * _w[k - 1]];
            Gemm.Multiply(_delta[k], _weights[k], e, _n, _w[k], _w[k - 1]);
            var next = _delta[k - 1] = new double[e.Length];
            for (int q = 0; q < e.Length; q++) next[q] = _s1[k - 1][q] * e[q];
        }
    }

    /// <summary>Adds DᵀA (the W_k block) and the column sums of D (the b_k block), D given transposed (n_k × N).</summary>
    private void AccumulateLayer(double[] target, int k, double[] dT, double[] a)
    {
        int rows = _w[k], cols = _w[k - 1];
        var block = new double[rows * cols];
        Gemm.Multiply(dT, a, block, rows, _n, cols);
        int offset = _layout.Weight(k, 0, 0);
        for (int q = 0; q < block.Length; q++) target[offset + q] += block[q];
        if (!_net.Bias) return;
        int bias = _layout.BiasIndex(k, 0);
        for (int i = 0; i < rows; i++)
        {
            double s = 0;
            for (int t = 0; t < _n; t++) s += dT[i * _n + t];
            target[bias + i] += s;
        }
    }

    public double[] HessianVector(double[] v)
    {
        if (v.Length != _layout.Count) throw new ArgumentException($"direction has {v.Length} entries, the network has {_layout.Count} parameters");
        var hv = new double[v.Length];
        HessianVector(v, -1, hv);
        return hv;
    }

    /// <summary>
    /// H v into hv. When unit ≥ 0, v is the unit vector e_unit (v is ignored), and the sparsity is used:
    /// layers below the parameter's layer carry no R-quantities, and V_k a_{k−1} is one column.
    /// </summary>
    private void HessianVector(double[]? v, int unit, double[] hv)
    {
        int depth = _depth, n = _n;
        (int Layer, int Row, int Col, bool IsBias) UnitOf(int p)
        {
            for (int k = 1; k <= depth; k++)
            {
                int w0 = _layout.Weight(k, 0, 0), count = _w[k] * _w[k - 1];
                if (p >= w0 && p < w0 + count) return (k, (p - w0) / _w[k - 1], (p - w0) % _w[k - 1], false);
                if (_net.Bias && p >= _layout.BiasIndex(k, 0) && p < _layout.BiasIndex(k, 0) + _w[k]) return (k, p - _layout.BiasIndex(k, 0), -1, true);
            }
            throw new ArgumentOutOfRangeException(nameof(unit));
        }
        var u = unit >= 0 ? UnitOf(unit) : default;
        int firstLayer = unit >= 0 ? u.Layer : 1;
        var rz = new double[depth + 1][];
        var ra = new double[depth + 1][];
        // Forward R pass: Rz_k = V_k a_{k−1} + W_k Ra_{k−1} + c_k, Ra_k = σ'_k ⊙ Rz_k.
        for (int k = firstLayer; k <= depth; k++)
        {
            int width = _w[k], prev = _w[k - 1];
            var z = rz[k] = new double[n * width];
            if (ra[k - 1] is { } below) Gemm.Multiply(below, _weightsT[k], z, n, prev, width);
            if (unit >= 0)
            {
                if (k == u.Layer)
                    for (int t = 0; t < n; t++) z[t * width + u.Row] += u.IsBias ? 1 : _a[k - 1][t * prev + u.Col];
            }
            else
            {
                var vk = Block(v!, k, out var ck);
                if (vk is not null)
                {
                    var vkT = new double[vk.Length];
                    Gemm.Transpose(vk, vkT, width, prev);
                    Gemm.Multiply(_a[k - 1], vkT, z, n, prev, width, accumulate: true);
                }
                if (ck is not null) for (int q = 0; q < z.Length; q++) z[q] += ck[q % width];
            }
            var r = ra[k] = new double[z.Length];
            for (int q = 0; q < z.Length; q++) r[q] = _s1[k][q] * z[q];
        }
        // Backward: Rδ_ℓ = σ'_ℓ ⊙ (d2g Ra_ℓ) + σ''_ℓ ⊙ Rz_ℓ ⊙ dg.
        int m = _w[depth];
        var rdelta = new double[n * m];
        for (int t = 0; t < n; t++)
            for (int o = 0; o < m; o++)
            {
                double rdg = 0;
                for (int q = 0; q < m; q++) rdg += _d2g[(t * m + o) * m + q] * ra[depth][t * m + q];
                int at = t * m + o;
                rdelta[at] = _s1[depth][at] * rdg + _s2[depth][at] * rz[depth][at] * _dg[at];
            }
        for (int k = depth; k >= 1; k--)
        {
            int width = _w[k], prev = _w[k - 1];
            // (Hv)_{W_k} = Rδ_kᵀ a_{k−1} + δ_kᵀ Ra_{k−1};  (Hv)_{b_k} = Σ Rδ_k.
            var rdT = new double[rdelta.Length];
            Gemm.Transpose(rdelta, rdT, n, width);
            AccumulateLayer(hv, k, rdT, _a[k - 1]);
            if (ra[k - 1] is { } raBelow)
            {
                var block = new double[width * prev];
                Gemm.Multiply(_deltaT[k], raBelow, block, width, n, prev);
                int offset = _layout.Weight(k, 0, 0);
                for (int q = 0; q < block.Length; q++) hv[offset + q] += block[q];
            }
            if (k == 1) break;
            // Rδ_{k−1} = σ''_{k−1} ⊙ Rz_{k−1} ⊙ e_{k−1} + σ'_{k−1} ⊙ (δ_k V_k + Rδ_k W_k).
            var re = new double[n * prev];
            Gemm.Multiply(rdelta, _weights[k], re, n, width, prev);
            if (unit >= 0)
            {
                if (k == u.Layer && !u.IsBias)
                    for (int t = 0; t < n; t++) re[t * prev + u.Col] += _delta[k][t * width + u.Row];
            }
            else if (Block(v!, k, out _) is { } vk)
                Gemm.Multiply(_delta[k], vk, re, n, width, prev, accumulate: true);
            var next = new double[re.Length];
            var rzBelow = rz[k - 1];
            for (int q = 0; q < re.Length; q++)
                next[q] = (rzBelow is null ? 0 : _s2[k - 1][q] * rzBelow[q] * _e[k - 1][q]) + _s1[k - 1][q] * re[q];
            rdelta = next;
        }
        if (_lambda != 0)
        {
            if (unit >= 0) { if (_layout.IsWeight(unit)) hv[unit] += _lambda; }
            else for (int p = 0; p < hv.Length; p++) if (_layout.IsWeight(p)) hv[p] += _lambda * v![p];
        }
    }

    /// <summary>The W_k block of a direction (null when all zero), and its b_k block (null when zero or no biases).</summary>
    private double[]? Block(double[] v, int k, out double[]? bias)
    {
        int offset = _layout.Weight(k, 0, 0), count = _w[k] * _w[k - 1];
        var w = v.AsSpan(offset, count);
        bias = null;
        if (_net.Bias)
        {
            var b = v.AsSpan(_layout.BiasIndex(k, 0), _w[k]);
            if (b.ContainsAnyExcept(0.0)) bias = b.ToArray();
        }
        return w.ContainsAnyExcept(0.0) ? w.ToArray() : null;
    }

    public double[] Hessian(IProgress<int>? columnsDone = null, CancellationToken cancel = default)
    {
        int p = _layout.Count;
        var h = new double[(long)p * p <= Array.MaxLength ? p * p : throw new InvalidOperationException($"a {p}×{p} Hessian does not fit in one array; use Lanczos or SLQ")];
        int done = 0;
        Parallel.For(0, p, new ParallelOptions { CancellationToken = cancel }, () => new double[p], (col, _, row) =>
        {
            Array.Clear(row);
            HessianVector(null, col, row);
            row.CopyTo(h, (long)col * p);
            columnsDone?.Report(Interlocked.Increment(ref done));
            return row;
        }, _ => { });
        // H e_p is column p; stored as row p. Rounding makes the two triangles differ in the last bits: average them.
        for (int i = 0; i < p; i++)
            for (int j = i + 1; j < p; j++)
            {
                double s = 0.5 * (h[i * p + j] + h[j * p + i]);
                h[i * p + j] = h[j * p + i] = s;
            }
        return h;
    }
}
