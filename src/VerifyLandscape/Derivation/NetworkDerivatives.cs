using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Scalars;

namespace VerifyLandscape.Derivation;

/// <summary>
/// Loss, gradient, Hessian-vector products and the Hessian of a network's loss at
/// one point θ, written once for every number type T. The gradient is reverse mode
/// (backpropagation); a Hessian-vector product is Pearlmutter's R-operator applied
/// to it (forward over reverse), exact in every number type, no finite differences.
///
/// Per sample, with a_0 = x, z_k = W_k a_{k-1} + b_k, a_k = σ_k(z_k), and the loss
/// head g(a_ℓ) with derivatives dg, d2g:
///   δ_ℓ = σ'_ℓ ⊙ dg,   e_{k-1} = W_kᵀ δ_k,   δ_{k-1} = σ'_{k-1} ⊙ e_{k-1},
///   ∂L/∂W_k = δ_k a_{k-1}ᵀ,   ∂L/∂b_k = δ_k.
/// Along a direction v = (V_k, c_k), R(·) the directional derivative:
///   Rz_k = V_k a_{k-1} + W_k Ra_{k-1} + c_k,  Ra_k = σ'_k ⊙ Rz_k,
///   Rδ_ℓ = σ'_ℓ ⊙ (d2g Ra_ℓ) + σ''_ℓ ⊙ Rz_ℓ ⊙ dg,
///   Rδ_{k-1} = σ''_{k-1} ⊙ Rz_{k-1} ⊙ e_{k-1} + σ'_{k-1} ⊙ (V_kᵀ δ_k + W_kᵀ Rδ_k),
///   (Hv)_{W_k} = Rδ_k a_{k-1}ᵀ + δ_k Ra_{k-1}ᵀ,  (Hv)_{b_k} = Rδ_k,  plus λ V_k (the ℓ1 penalty adds nothing).
/// Skip and DAG wiring: a layer that reads a list of units ψ = (a_{k_1}[u_1], …) in place of a_{k−1} (the output of a
/// skip network, a hidden layer of a layered DAG) sends its e = W_kᵀ δ_k (and Rδ's counterpart) back to those units,
/// where it is added to what every other reader sends them; layers are processed from the top, so a unit's sum is
/// complete before it is used. Tied parameters: the passes run on every weight and bias (slots, θ expanded, frozen
/// slots at their value); a derivative with respect to θ collects its slots (chain rule for x ↦ (x, x, …)), and
/// weight decay applies to θ's weights.
/// Layers are computed on demand, forward and R-forward alike: a quantity multiplied by an exact zero is never
/// expanded. At the generic point of a locus W_j = 0 makes every layer below j irrelevant to most entries, and the
/// exact ring would otherwise expand those layers' activations into ever larger polynomials.
/// </summary>
public sealed class NetworkDerivatives<T> where T : IScalar<T>
{
    private readonly NetworkSpec _net;
    private readonly ParameterLayout _layout;
    private readonly T[] _free;    // θ, the free parameters
    private readonly T[] _theta;   // every weight and bias (slots), θ expanded
    private readonly Sample[] _samples;
    private readonly int _depth;
    private readonly Networks.Loss _loss;

    /// <summary>Cached forward and backward quantities of one sample (index k = layer).</summary>
    private sealed class Sample
    {
        public required int Index;
        public required T[]?[] A;      // a_0..a_ℓ, null until a layer is needed
        public required T[]?[] S1;     // σ'_k(z_k), k = 1..ℓ
        public required T[]?[] S2;     // σ''_k(z_k)
        public required T[][] Delta;   // δ_k
        public required T[][] E;       // e_k, what hidden layer k receives from above (W_{k+1}ᵀ δ_{k+1}, plus the output's share)
        public required T[]?[] Read;   // what layer k reads, when it reads a list of units
        public required T[] Dg;
        public required T[] D2g;       // m×m row-major
    }

    public T Loss { get; }
    public T[] Gradient { get; }
    /// <summary>f(x_i) for each sample.</summary>
    public T[][] Outputs { get; }
    /// <summary>a_k(x_i), the activations of layer k (0 = input, ℓ = output) for sample i.</summary>
    public T[] Activations(int layer, int sample) => A(_samples[sample], layer);

    public NetworkDerivatives(NetworkSpec net, IReadOnlyList<T> theta)
    {
        if (theta.Count != net.ParameterCount)
            throw new ArgumentException($"point has {theta.Count} values, the network has {net.ParameterCount} parameters");
        _net = net;
        _loss = Networks.Loss.Of(net.Loss, net.SampleCount, net.OutputWidth);
        _layout = net.Layout;
        _free = theta.ToArray();
        _theta = _layout.Expand(_free);
        _depth = net.Depth;
        _samples = new Sample[net.SampleCount];
        var gradient = new T[_theta.Length];
        for (int p = 0; p < gradient.Length; p++) gradient[p] = T.Zero;
        T loss = T.Zero;
        Outputs = new T[net.SampleCount][];
        for (int n = 0; n < net.SampleCount; n++)
        {
            var s = Forward(n, out var g);
            loss += g;
            Backward(s, gradient);
            _samples[n] = s;
            Outputs[n] = A(s, _depth);
        }
        gradient = _layout.Reduce(gradient);
        Loss = Penalty.Add(net, _layout, _free, loss, gradient);
        Gradient = gradient;
    }

    private T W(int k, int i, int j) => _theta[_layout.Weight(k, i, j)];
    private T B(int k, int i) => _layout.HasBias(k) ? _theta[_layout.BiasIndex(k, i)] : T.Zero;
    private int FanIn(int k) => _layout.FanIn(k);

    /// <summary>What layer k reads: a_{k−1}, or the listed units ψ (the output of a skip network, a DAG layer).</summary>
    private T[] In(Sample s, int k)
    {
        if (_net.Sources(k) is not { } list) return A(s, k - 1);
        return s.Read[k] ??= list.Select(u => A(s, u.Layer)[u.Unit]).ToArray();
    }

    /// <summary>Adds e, the derivative with respect to what layer k reads, to the layers it came from.</summary>
    private void Scatter(int k, T[] e, T[]?[] into)
    {
        if (_net.Sources(k) is not { } list) { Add(into, k - 1, e); return; }
        for (int j = 0; j < e.Length; j++)
        {
            var u = list[j];
            into[u.Layer] ??= Zeros(_net.Widths[u.Layer]);
            into[u.Layer]![u.Unit] += e[j];
        }
    }

    private static void Add(T[]?[] into, int layer, T[] e)
    {
        if (into[layer] is not { } acc) { into[layer] = e; return; }
        for (int j = 0; j < e.Length; j++) acc[j] += e[j];
    }

    private static T[] Zeros(int n) { var z = new T[n]; Array.Fill(z, T.Zero); return z; }
    private static T Mul(T a, T b) => T.IsExactZero(a) || T.IsExactZero(b) ? T.Zero : a * b;
    private static bool Zero(T a) => T.IsExactZero(a);

    private T[] A(Sample s, int k) { EnsureLayer(s, k); return s.A[k]!; }
    private T[] S1(Sample s, int k) { EnsureLayer(s, k); return s.S1[k]!; }
    private T[] S2(Sample s, int k) { EnsureLayer(s, k); return s.S2[k]!; }

    /// <summary>Computes layer k of a sample when first needed; a_{k−1} is needed only where W_k has a non-zero entry.</summary>
    private void EnsureLayer(Sample s, int k)
    {
        if (Volatile.Read(ref s.A[k]) is not null) return;
        lock (s) // the Hessian's columns run in parallel over the same samples
        {
            if (s.A[k] is not null) return;
            int[] w = _net.Widths;
            var sigma = _net.ActivationOf(k);
            var a = new T[w[k]];
            var s1 = new T[w[k]];
            var s2 = new T[w[k]];
            for (int i = 0; i < w[k]; i++)
            {
                T z = B(k, i);
                for (int j = 0; j < FanIn(k); j++)
                    if (!Zero(W(k, i, j))) z += Mul(W(k, i, j), In(s, k)[j]);
                var jet = sigma.Apply(z, $"layer {k} unit {i}, sample {s.Index}");
                (a[i], s1[i], s2[i]) = (jet.Value, jet.First, jet.Second);
            }
            (s.S1[k], s.S2[k]) = (s1, s2);
            Volatile.Write(ref s.A[k], a); // last: it marks the layer as computed, and publishes S1 and S2 with it
        }
    }

    private Sample Forward(int n, out T loss)
    {
        var s = new Sample
        {
            Index = n, A = new T[]?[_depth + 1], S1 = new T[]?[_depth + 1], S2 = new T[]?[_depth + 1],
            Delta = new T[_depth + 1][], E = new T[_depth + 1][], Read = new T[]?[_depth + 1], Dg = [], D2g = [],
        };
        s.A[0] = _net.X[n].Select(T.FromRational).ToArray();
        var head = _loss.Apply<T>(A(s, _depth), _net.Y[n]);
        loss = head.Value;
        s.Dg = head.Gradient;
        s.D2g = head.Hessian;
        return s;
    }

    private void Backward(Sample s, T[] gradient)
    {
        int[] w = _net.Widths;
        var delta = s.Delta;
        var received = new T[]?[_depth];   // e_k for the hidden layers, summed over what reads them
        for (int k = _depth; k >= 1; k--)
        {
            if (k == _depth)
            {
                delta[k] = new T[w[k]];
                for (int i = 0; i < w[k]; i++) delta[k][i] = Mul(S1(s, k)[i], s.Dg[i]);
            }
            else
            {
                var e = s.E[k] = received[k] ?? Zeros(w[k]);
                delta[k] = new T[w[k]];
                for (int j = 0; j < w[k]; j++) delta[k][j] = Zero(e[j]) ? T.Zero : Mul(S1(s, k)[j], e[j]);
            }
            for (int i = 0; i < w[k]; i++)
            {
                if (T.IsExactZero(delta[k][i])) continue;
                for (int j = 0; j < FanIn(k); j++)
                    gradient[_layout.Weight(k, i, j)] += Mul(delta[k][i], In(s, k)[j]);
                if (_layout.HasBias(k)) gradient[_layout.BiasIndex(k, i)] += delta[k][i];
            }
            if (k == 1) break;
            var up = new T[FanIn(k)];
            for (int j = 0; j < up.Length; j++)
            {
                T sum = T.Zero;
                for (int i = 0; i < w[k]; i++) sum += Mul(W(k, i, j), delta[k][i]);
                up[j] = sum;
            }
            Scatter(k, up, received);
        }
    }

    /// <summary>H v, the Hessian of the loss times v, exactly (R-operator).</summary>
    public T[] HessianVector(IReadOnlyList<T> direction)
    {
        if (direction.Count != _free.Length) throw new ArgumentException("direction has the wrong length");
        var v = _layout.ExpandDirection(direction);
        int[] w = _net.Widths;
        var hv = new T[_theta.Length];
        for (int p = 0; p < hv.Length; p++) hv[p] = T.Zero;
        T V(int k, int i, int j) => v[_layout.Weight(k, i, j)];
        T C(int k, int i) => _layout.HasBias(k) ? v[_layout.BiasIndex(k, i)] : T.Zero;
        foreach (var s in _samples)
        {
            // Rz_k and Ra_k on demand: Ra_{k−1} is needed only where W_k is non-zero, a_{k−1} only where V_k is.
            var rz = new T[]?[_depth + 1];
            var ra = new T[]?[_depth + 1];
            ra[0] = new T[w[0]];
            Array.Fill(ra[0]!, T.Zero);
            T[] RA(int k) { RForward(k); return ra[k]!; }
            T[] RZ(int k) { RForward(k); return rz[k]!; }
            var rread = new T[]?[_depth + 1];
            T[] RIn(int k) => _net.Sources(k) is not { } list ? RA(k - 1) : rread[k] ??= list.Select(u => RA(u.Layer)[u.Unit]).ToArray();
            void RForward(int k)
            {
                if (ra[k] is not null) return;
                var z = new T[w[k]];
                var r = new T[w[k]];
                for (int i = 0; i < w[k]; i++)
                {
                    T sum = C(k, i);
                    for (int j = 0; j < FanIn(k); j++)
                    {
                        if (!Zero(V(k, i, j))) sum += Mul(V(k, i, j), In(s, k)[j]);
                        if (!Zero(W(k, i, j))) sum += Mul(W(k, i, j), RIn(k)[j]);
                    }
                    z[i] = sum;
                    r[i] = Zero(sum) ? T.Zero : Mul(S1(s, k)[i], sum);
                }
                (rz[k], ra[k]) = (z, r);
            }
            int m = w[_depth];
            var rdelta = new T[w[_depth]];
            for (int o = 0; o < m; o++)
            {
                T rdg = T.Zero;
                for (int q = 0; q < m; q++) rdg += Mul(s.D2g[o * m + q], RA(_depth)[q]);
                rdelta[o] = Mul(S1(s, _depth)[o], rdg) + Mul(Mul(S2(s, _depth)[o], RZ(_depth)[o]), s.Dg[o]);
            }
            var rreceived = new T[]?[_depth];   // the R-counterpart of e_k: Σ (V ᵀδ + Wᵀ Rδ) over what reads layer k
            for (int k = _depth; k >= 1; k--)
            {
                var delta = s.Delta[k];
                if (k < _depth)
                {
                    var re = rreceived[k] ?? Zeros(w[k]);
                    rdelta = new T[w[k]];
                    for (int j = 0; j < w[k]; j++)
                        rdelta[j] = (Zero(s.E[k][j]) ? T.Zero : Mul(Mul(S2(s, k)[j], RZ(k)[j]), s.E[k][j]))
                                    + (Zero(re[j]) ? T.Zero : Mul(S1(s, k)[j], re[j]));
                }
                for (int i = 0; i < w[k]; i++)
                {
                    for (int j = 0; j < FanIn(k); j++)
                    {
                        var term = (Zero(rdelta[i]) ? T.Zero : Mul(rdelta[i], In(s, k)[j])) + (Zero(delta[i]) ? T.Zero : Mul(delta[i], RIn(k)[j]));
                        if (!T.IsExactZero(term)) hv[_layout.Weight(k, i, j)] += term;
                    }
                    if (_layout.HasBias(k)) hv[_layout.BiasIndex(k, i)] += rdelta[i];
                }
                if (k == 1) break;
                var up = new T[FanIn(k)];
                for (int j = 0; j < up.Length; j++)
                {
                    T sum = T.Zero;
                    for (int i = 0; i < w[k]; i++) sum += Mul(V(k, i, j), delta[i]) + Mul(W(k, i, j), rdelta[i]);
                    up[j] = sum;
                }
                Scatter(k, up, rreceived);
            }
        }
        hv = _layout.Reduce(hv);
        if (!_net.WeightDecay.IsZero)
        {
            var lambda = T.FromRational(_net.WeightDecay);
            for (int p = 0; p < hv.Length; p++)
                if (_layout.IsWeight(p)) hv[p] += Mul(lambda, direction[p]);
        }
        return hv;
    }

    /// <summary>
    /// The full Hessian, column by column (H e_p), in parallel. Row-major P×P. A column's exception (a kink met
    /// lazily, an undecided switch) is rethrown as itself, not wrapped, so callers see the same types as serially.
    /// </summary>
    public T[,] Hessian(IProgress<int>? columnsDone = null, CancellationToken cancel = default)
    {
        int n = _free.Length;
        var h = new T[n, n];
        int done = 0;
        try
        {
            Parallel.For(0, n, new ParallelOptions { CancellationToken = cancel }, p =>
            {
                var e = new T[n];
                Array.Fill(e, T.Zero);
                e[p] = T.One;
                var col = HessianVector(e);
                for (int q = 0; q < n; q++) h[q, p] = col[q];
                columnsDone?.Report(Interlocked.Increment(ref done));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return h;
    }
}
