using System.Runtime.InteropServices;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Scalars;

namespace VerifyLandscape.Numerics;

/// <summary>
/// The CPU double engine: the same mathematics as <see cref="Derivation.NetworkDerivatives{T}"/> (reverse mode for
/// the gradient, Pearlmutter's R-operator for H v), but with all N samples batched, so that every layer step is
/// one matrix product (<see cref="Gemm"/>): Z_k = A_{k−1} W_kᵀ, E_{k−1} = Δ_k W_k, ∂L/∂W_k = Δ_kᵀ A_{k−1}.
/// Matrices are row-major with one row per sample (N × n_k).
/// Skip and DAG wiring: a layer that reads a list of units (the output of a skip network reads Ψ, N × M) gets them
/// gathered from their layers, and what it sends back (Δ_k W_k) is scattered to those units. Tied parameters: the
/// passes run on all slots (θ expanded), derivatives collect their slots, weight decay applies to θ's weights.
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
    private readonly int[] _fanIn;            // how many values layer k reads: n_{k−1}, or the length of its list
    private readonly double[]?[] _read;       // N × fan-in, what layer k reads when it reads a list of units
    private readonly double _lambda;
    private readonly Networks.Loss _loss;

    public string Name => "cpu";
    public int ParameterCount => _layout.Count;
    public double Loss { get; }
    public double[] Gradient { get; }
    /// <summary>a_k for all samples, N × n_k row-major (k = 0: the inputs).</summary>
    public double[] Activations(int layer) => _a[layer];

    public DenseNetwork(NetworkSpec net, double[] theta)
    {
        if (theta.Length != net.ParameterCount) throw new ArgumentException($"point has {theta.Length} values, the network has {net.ParameterCount} parameters");
        _net = net;
        _loss = Networks.Loss.Of(net.Loss, net.SampleCount, net.OutputWidth);
        _layout = net.Layout;
        var free = theta;
        theta = OnSlots(theta, _layout.Expand);
        _depth = net.Depth;
        _n = net.SampleCount;
        _w = net.Widths;
        _lambda = net.WeightDecay.ToDouble();
        _weights = new double[_depth + 1][];
        _weightsT = new double[_depth + 1][];
        _biases = new double[_depth + 1][];
        _fanIn = new int[_depth + 1];
        _read = new double[]?[_depth + 1];
        for (int k = 1; k <= _depth; k++)
        {
            _fanIn[k] = _layout.FanIn(k);
            _weights[k] = _layout.WeightsOf(k).Select(p => theta[p]).ToArray();
            _weightsT[k] = new double[_w[k] * _fanIn[k]];
            Gemm.Transpose(_weights[k], _weightsT[k], _w[k], _fanIn[k]);
            _biases[k] = _layout.HasBias(k) ? _layout.BiasesOf(k).Select(p => theta[p]).ToArray() : new double[_w[k]];
        }
        _a = new double[_depth + 1][]; _s1 = new double[_depth + 1][]; _s2 = new double[_depth + 1][];
        _delta = new double[_depth + 1][]; _deltaT = new double[_depth + 1][]; _e = new double[_depth + 1][];
        _dg = new double[_n * _w[_depth]];
        _d2g = new double[_n * _w[_depth] * _w[_depth]];

        Loss = Forward();
        var slots = new double[_layout.SlotCount];
        Backward(slots);
        Gradient = Reduce(slots);
        var gradient = Array.ConvertAll(Gradient, g => new F64(g));
        Loss = Penalty.Add(net, _layout, Array.ConvertAll(free, t => new F64(t)), new F64(Loss), gradient).Value;
        Gradient = Array.ConvertAll(gradient, g => g.Value);
    }

    private double[] Reduce(double[] perSlot) => OnSlots(perSlot, _layout.Reduce);

    /// <summary>One of the layout's maps between θ and the slots, in doubles; the identity without tied parameters.</summary>
    private double[] OnSlots(double[] values, Func<F64[], F64[]> map) =>
        _layout.IsTied ? Array.ConvertAll(map(Array.ConvertAll(values, t => new F64(t))), f => f.Value) : values;

    private double Forward()
    {
        _a[0] = new double[_n * _w[0]];
        for (int i = 0; i < _n; i++) for (int j = 0; j < _w[0]; j++) _a[0][i * _w[0] + j] = _net.X[i][j].ToDouble();
        for (int k = 1; k <= _depth; k++)
        {
            int width = _w[k];
            var z = new double[_n * width];
            if (_net.Sources(k) is { } list) _read[k] = Gather(list, _a);
            Gemm.Multiply(In(k), _weightsT[k], z, _n, _fanIn[k], width);
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
        for (int i = 0; i < _n; i++)
            loss += LossHead(_a[_depth].AsSpan(i * m, m), _net.Y[i], _dg.AsSpan(i * m, m), _d2g.AsSpan(i * m * m, m * m));
        return loss;
    }

    /// <summary>What layer k reads (N × fan-in): A_{k−1}, or the units of its list (Ψ for a skip network's output layer).</summary>
    private double[] In(int k) => _read[k] ?? _a[k - 1];

    /// <summary>The listed units' columns of per-layer matrices (activations or their R-counterparts), as one N × M matrix.</summary>
    private double[] Gather(HiddenUnit[] skip, double[][] perLayer)
    {
        var g = new double[_n * skip.Length];
        for (int t = 0; t < _n; t++)
            for (int j = 0; j < skip.Length; j++) g[t * skip.Length + j] = perLayer[skip[j].Layer][t * _w[skip[j].Layer] + skip[j].Unit];
        return g;
    }

    /// <summary>Adds E (N × fan-in of layer k), the derivative with respect to what layer k reads, to the layers it came from.</summary>
    private void Scatter(int k, double[] e, double[]?[] into)
    {
        if (_net.Sources(k) is not { } skip)
        {
            if (into[k - 1] is { } acc) TensorOps.AddScaled(e, 1, acc); else into[k - 1] = e;
            return;
        }
        for (int j = 0; j < skip.Length; j++)
        {
            int layer = skip[j].Layer, width = _w[layer];
            var target = into[layer] ??= new double[_n * width];
            for (int t = 0; t < _n; t++) target[t * width + skip[j].Unit] += e[t * skip.Length + j];
        }
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

    /// <summary>One sample's loss, with its gradient and Hessian in the output (the kernel's <see cref="Networks.Loss"/>, as the exact engine).</summary>
    private double LossHead(ReadOnlySpan<double> f, Rational[] y, Span<double> dg, Span<double> d2g)
    {
        var head = _loss.Apply<F64>(MemoryMarshal.Cast<double, F64>(f), y);
        for (int o = 0; o < head.Gradient.Length; o++) dg[o] = head.Gradient[o].Value;
        for (int q = 0; q < head.Hessian.Length; q++) d2g[q] = head.Hessian[q].Value;
        return head.Value.Value;
    }

    private void Backward(double[] gradient)
    {
        int m = _w[_depth];
        var delta = _delta[_depth] = new double[_n * m];
        for (int q = 0; q < delta.Length; q++) delta[q] = _s1[_depth][q] * _dg[q];
        var received = new double[]?[_depth];   // E_k for the hidden layers, summed over what reads them
        for (int k = _depth; k >= 1; k--)
        {
            if (k < _depth)
            {
                var e = _e[k] = received[k] ?? new double[_n * _w[k]];
                var d = _delta[k] = new double[e.Length];
                for (int q = 0; q < e.Length; q++) d[q] = _s1[k][q] * e[q];
            }
            _deltaT[k] = new double[_delta[k].Length];
            Gemm.Transpose(_delta[k], _deltaT[k], _n, _w[k]);
            AccumulateLayer(gradient, k, _deltaT[k], In(k));
            if (k == 1) break;
            var up = new double[_n * _fanIn[k]];
            Gemm.Multiply(_delta[k], _weights[k], up, _n, _w[k], _fanIn[k]);
            Scatter(k, up, received);
        }
    }

    /// <summary>Adds DᵀA (the W_k block) and the column sums of D (the b_k block), D given transposed (n_k × N).</summary>
    private void AccumulateLayer(double[] target, int k, double[] dT, double[] a)
    {
        int rows = _w[k], cols = _fanIn[k];
        var block = new double[rows * cols];
        Gemm.Multiply(dT, a, block, rows, _n, cols);
        int offset = _layout.Weight(k, 0, 0);
        for (int q = 0; q < block.Length; q++) target[offset + q] += block[q];
        if (!_layout.HasBias(k)) return;
        int bias = _layout.BiasIndex(k, 0);
        for (int i = 0; i < rows; i++)
        {
            double s = 0;
            for (int t = 0; t < _n; t++) s += dT[i * _n + t];
            target[bias + i] += s;
        }
    }

    /// <summary>
    /// H v by the R-operator, all samples at once:
    ///   Rz_k = V_k a_{k−1} + W_k Ra_{k−1} + c_k,  Ra_k = σ'_k ⊙ Rz_k,
    ///   Rδ_ℓ = σ'_ℓ ⊙ (d2g Ra_ℓ) + σ''_ℓ ⊙ Rz_ℓ ⊙ dg,
    ///   Rδ_{k−1} = σ''_{k−1} ⊙ Rz_{k−1} ⊙ e_{k−1} + σ'_{k−1} ⊙ (δ_k V_k + Rδ_k W_k),
    ///   (Hv)_{W_k} = Rδ_kᵀ a_{k−1} + δ_kᵀ Ra_{k−1},  (Hv)_{b_k} = Σ_t Rδ_k,  plus λ V_k.
    /// </summary>
    public double[] HessianVector(double[] direction)
    {
        if (direction.Length != _layout.Count) throw new ArgumentException($"direction has {direction.Length} entries, the network has {_layout.Count} parameters");
        var v = OnSlots(direction, _layout.ExpandDirection);
        var hv = new double[v.Length];
        int depth = _depth, n = _n;
        var rz = new double[depth + 1][];
        var ra = new double[depth + 1][];
        ra[0] = new double[n * _w[0]];
        var rread = new double[]?[depth + 1];
        double[] RIn(int k) => _net.Sources(k) is { } list ? rread[k] ??= Gather(list, ra) : ra[k - 1];
        for (int k = 1; k <= depth; k++)
        {
            int width = _w[k], prev = _fanIn[k];
            var z = rz[k] = new double[n * width];
            Gemm.Multiply(RIn(k), _weightsT[k], z, n, prev, width);
            if (Block(v, k, out var ck) is { } vk)
            {
                var vkT = new double[vk.Length];
                Gemm.Transpose(vk, vkT, width, prev);
                Gemm.Multiply(In(k), vkT, z, n, prev, width, accumulate: true);
            }
            if (ck is not null) for (int q = 0; q < z.Length; q++) z[q] += ck[q % width];
            var r = ra[k] = new double[z.Length];
            for (int q = 0; q < z.Length; q++) r[q] = _s1[k][q] * z[q];
        }
        var rdelta = OutputRDelta(rz[depth], ra[depth]);
        var rreceived = new double[]?[depth];
        for (int k = depth; k >= 1; k--)
        {
            int width = _w[k], prev = _fanIn[k];
            if (k < depth) rdelta = LowerRDelta(k, rz[k], rreceived[k] ?? new double[n * width]);
            var rdT = new double[rdelta.Length];
            Gemm.Transpose(rdelta, rdT, n, width);
            AccumulateLayer(hv, k, rdT, In(k));
            var block = new double[width * prev];
            Gemm.Multiply(_deltaT[k], RIn(k), block, width, n, prev);
            int offset = _layout.Weight(k, 0, 0);
            for (int q = 0; q < block.Length; q++) hv[offset + q] += block[q];
            if (k == 1) break;
            var re = new double[n * prev];
            Gemm.Multiply(rdelta, _weights[k], re, n, width, prev);
            if (Block(v, k, out _) is { } vk) Gemm.Multiply(_delta[k], vk, re, n, width, prev, accumulate: true);
            Scatter(k, re, rreceived);
        }
        hv = Reduce(hv);
        if (_lambda != 0)
            for (int p = 0; p < hv.Length; p++) if (_layout.IsWeight(p)) hv[p] += _lambda * direction[p];
        return hv;
    }

    /// <summary>Rδ_ℓ = σ'_ℓ ⊙ (d2g Ra_ℓ) + σ''_ℓ ⊙ Rz_ℓ ⊙ dg, per sample.</summary>
    private double[] OutputRDelta(double[] rz, double[] ra)
    {
        int m = _w[_depth];
        var rdelta = new double[_n * m];
        for (int t = 0; t < _n; t++)
            for (int o = 0; o < m; o++)
            {
                double rdg = 0;
                for (int q = 0; q < m; q++) rdg += _d2g[(t * m + o) * m + q] * ra[t * m + q];
                int at = t * m + o;
                rdelta[at] = _s1[_depth][at] * rdg + _s2[_depth][at] * rz[at] * _dg[at];
            }
        return rdelta;
    }

    /// <summary>Rδ_k = σ''_k ⊙ Rz_k ⊙ e_k + σ'_k ⊙ re, where re already holds δ_{k+1} V_{k+1} + Rδ_{k+1} W_{k+1}.</summary>
    private double[] LowerRDelta(int k, double[] rz, double[] re)
    {
        var next = new double[re.Length];
        for (int q = 0; q < re.Length; q++) next[q] = _s2[k][q] * rz[q] * _e[k][q] + _s1[k][q] * re[q];
        return next;
    }

    /// <summary>The W_k block of a direction (null when all zero), and its b_k block (null when zero or no biases).</summary>
    private double[]? Block(double[] v, int k, out double[]? bias)
    {
        int offset = _layout.Weight(k, 0, 0), count = _w[k] * _fanIn[k];
        var w = v.AsSpan(offset, count);
        bias = null;
        if (_layout.HasBias(k))
        {
            var b = v.AsSpan(_layout.BiasIndex(k, 0), _w[k]);
            if (b.ContainsAnyExcept(0.0)) bias = b.ToArray();
        }
        return w.ContainsAnyExcept(0.0) ? w.ToArray() : null;
    }

    /// <summary>The full Hessian as P products H e_p, in parallel: skip or DAG wiring and tied parameters break the layer-by-layer blocks below.</summary>
    private double[] HessianByColumns(IProgress<int>? columnsDone, CancellationToken cancel)
    {
        int p = _layout.Count, done = 0;
        var h = new double[(long)p * p];
        Parallel.For(0, p, new ParallelOptions { CancellationToken = cancel }, q =>
        {
            var e = new double[p];
            e[q] = 1;
            HessianVector(e).CopyTo(h, (long)q * p);   // H is symmetric: column q is row q
            columnsDone?.Report(Interlocked.Increment(ref done));
        });
        return h;
    }

    private const int HessianUnitGroup = 8;

    /// <summary>
    /// The full Hessian, using the network's structure instead of P separate products. A direction W_k[i, j] enters
    /// only through Rz_k = a_{k−1}[·, j] e_i, and everything above layer k is linear in Rz_k sample by sample, so its
    /// R-quantities in layers ≥ k are those of the bias direction b_k[i] scaled per sample by a_{k−1}[t, j]. Hence, for
    /// each unit (k, i): one R pass for b_k[i], then for every layer k' ≥ k the block of rows
    ///   H[(k, i, j), (k', r, c)] = Σ_t ā_{k−1}[t, j] X_{k'}[t, (r, c)],  X = Rδ_{k'}[t, r] ā_{k'−1}[t, c] + δ_{k'}[t, r] Ra_{k'−1}[t, c]
    /// is one matrix product (ā: activations with a column of ones for the bias). Blocks with k' &lt; k follow by symmetry.
    /// Work ≈ 2·N·P² flops in matrix products; memory 8·P² bytes plus 8·N·min(n_{k'}, 8)(n_{k'−1}+1) per thread.
    /// </summary>
    public double[] Hessian(IProgress<int>? columnsDone = null, CancellationToken cancel = default)
    {
        int p = _layout.Count, n = _n, depth = _depth;
        if ((long)p * p > Array.MaxLength) throw new InvalidOperationException($"a {p}×{p} Hessian does not fit in one array; use Lanczos or SLQ");
        if (!_net.IsPlain) return HessianByColumns(columnsDone, cancel);
        var h = new double[p * p];
        int extra = _net.Bias ? 1 : 0;
        // āᵀ_{k−1}: (n_{k−1} + 1) × N, the activations with a row of ones (bias) appended.
        var barT = new double[depth + 1][];
        for (int k = 1; k <= depth; k++)
        {
            int prev = _w[k - 1];
            var t = barT[k] = new double[(prev + extra) * n];
            Gemm.Transpose(_a[k - 1], t, n, prev);
            if (extra == 1) Array.Fill(t, 1.0, prev * n, n);
        }
        // Parameter index of column (r, c) of layer k's block (c = n_{k−1} is the bias).
        int Param(int k, int r, int c) => c < _w[k - 1] ? _layout.Weight(k, r, c) : _layout.BiasIndex(k, r);
        int done = 0;
        var units = Enumerable.Range(1, depth).SelectMany(k => Enumerable.Range(0, _w[k]).Select(i => (k, i))).ToArray();
        int maxCols = Enumerable.Range(1, depth).Max(k => Math.Min(_w[k], HessianUnitGroup) * (_w[k - 1] + extra));
        int maxDirections = Enumerable.Range(1, depth).Max(k => _w[k - 1] + extra);
        Parallel.ForEach(units, new ParallelOptions { CancellationToken = cancel },
            () => (X: new double[n * maxCols], Block: new double[maxDirections * maxCols]), (unit, _, scratch) =>
        {
            var (k, i) = unit;
            // R pass for the direction b_k[i]: Rz_k = e_i for every sample.
            var rz = new double[depth + 1][];
            var ra = new double[depth + 1][];
            rz[k] = new double[n * _w[k]];
            for (int t = 0; t < n; t++) rz[k][t * _w[k] + i] = 1;
            ra[k] = new double[rz[k].Length];
            for (int t = 0; t < n; t++) ra[k][t * _w[k] + i] = _s1[k][t * _w[k] + i];
            for (int kk = k + 1; kk <= depth; kk++)
            {
                rz[kk] = new double[n * _w[kk]];
                Gemm.Multiply(ra[kk - 1], _weightsT[kk], rz[kk], n, _w[kk - 1], _w[kk]);
                ra[kk] = new double[rz[kk].Length];
                for (int q = 0; q < rz[kk].Length; q++) ra[kk][q] = _s1[kk][q] * rz[kk][q];
            }
            var rdelta = OutputRDelta(rz[depth], ra[depth]);
            int directions = _w[k - 1] + extra;
            for (int kk = depth; kk >= k; kk--)
            {
                int width = _w[kk], prev = _w[kk - 1], weightStart = _layout.Weight(kk, 0, 0);
                // Units r of layer kk in groups of HessianUnitGroup, so that x (N × the group's columns) stays in the
                // shared cache between being written and being read by the product (at N = 1024 and 64 inputs the whole
                // x is 34 MB per thread; a group is 4 MB).
                for (int r0 = 0; r0 < width; r0 += HessianUnitGroup)
                {
                    int r1 = Math.Min(width, r0 + HessianUnitGroup), cols = (r1 - r0) * (prev + extra);
                    var x = scratch.X.AsSpan(0, n * cols);
                    for (int t = 0; t < n; t++)
                    {
                        var at = _a[kk - 1].AsSpan(t * prev, prev);
                        var rat = kk > k ? ra[kk - 1].AsSpan(t * prev, prev) : default;
                        for (int r = r0; r < r1; r++)
                        {
                            double rd = rdelta[t * width + r], d = _delta[kk][t * width + r];
                            var row = x.Slice(t * cols + (r - r0) * (prev + extra), prev + extra);
                            // row = rd·a_{k'−1}[t] + d·Ra_{k'−1}[t]  (then the bias entry rd)
                            TensorOps.Scale(at, rd, row);
                            if (kk > k) TensorOps.AddScaled(rat, d, row);
                            if (extra == 1) row[prev] = rd;
                        }
                    }
                    var block = scratch.Block.AsSpan(0, directions * cols);
                    Gemm.Multiply(barT[k], x, block, directions, n, cols);
                    for (int j = 0; j < directions; j++)
                    {
                        var hRow = h.AsSpan(Param(k, i, j) * p, p);
                        var bRow = block.Slice(j * cols, cols);
                        for (int r = r0; r < r1; r++)
                        {
                            bRow.Slice((r - r0) * (prev + extra), prev).CopyTo(hRow.Slice(weightStart + r * prev, prev));
                            if (extra == 1) hRow[_layout.BiasIndex(kk, r)] = bRow[(r - r0) * (prev + 1) + prev];
                        }
                    }
                }
                if (kk == k) break;
                var re = new double[n * prev];
                Gemm.Multiply(rdelta, _weights[kk], re, n, width, prev);
                rdelta = LowerRDelta(kk - 1, rz[kk - 1], re);
            }
            columnsDone?.Report(Interlocked.Add(ref done, directions));
            return scratch;
        }, _ => { });
        CompleteStructuredHessian(h, _layout, depth, _lambda);
        return h;
    }

    /// <summary>
    /// Completes a structured Hessian (this engine's and the GPU backend's) of a plain network whose rows of layer k
    /// hold only the columns of layers ≥ k: the rest by symmetry, then weight decay λ on the weights' diagonal. Layer k's
    /// parameters (W_k, then b_k) are one contiguous range from W_k[0,0], so the missing part of row a is every column
    /// before its layer's start: a tiled transpose of those rectangles.
    /// </summary>
    internal static void CompleteStructuredHessian(double[] h, ParameterLayout layout, int depth, double lambda)
    {
        const int Tile = 64;
        int p = layout.Count;
        for (int k = 2; k <= depth; k++)
        {
            int start = layout.Weight(k, 0, 0), end = k < depth ? layout.Weight(k + 1, 0, 0) : p;
            Parallel.For(0, (end - start + Tile - 1) / Tile, tile =>
            {
                int a0 = start + tile * Tile, a1 = Math.Min(end, a0 + Tile);
                for (int b0 = 0; b0 < start; b0 += Tile)
                {
                    int b1 = Math.Min(start, b0 + Tile);
                    for (int a = a0; a < a1; a++)
                        for (int b = b0; b < b1; b++) h[(long)a * p + b] = h[(long)b * p + a];
                }
            });
        }
        if (lambda != 0)
            for (int q = 0; q < p; q++) if (layout.IsWeight(q)) h[(long)q * p + q] += lambda;
    }
}
