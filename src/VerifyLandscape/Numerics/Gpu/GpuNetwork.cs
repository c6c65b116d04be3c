using ILGPU;
using ILGPU.Runtime;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Numerics.Gpu;

/// <summary>Float64 or float32 arithmetic on the device.</summary>
public enum Precision { Float64, Float32 }

/// <summary>
/// The ILGPU backend at one point θ (<see cref="IDerivativeBackend"/>): loss and gradient at construction, H v by the
/// R-operator (one kernel launch over the samples, then a fixed-order sum), the full Hessian by the network's structure
/// (<see cref="HessianKernels"/>: one R pass per unit, not per parameter), and Lanczos with its Krylov basis on the
/// device (<see cref="VectorKernels"/>: only α_k, β_k cross to the host).
/// Plain networks (no skip lists, ties or frozen parameters, output scale 1), squared losses (sse, half-sse, mse,
/// half-mse), σ ∈ {identity, relu, leaky relu, tanh, sigmoid, softplus}, ridge; anything else is refused with the
/// reason. Values cross the interface as double; on the device they are T (float64 or float32).
/// </summary>
public sealed class GpuNetwork : IDerivativeBackend
{
    private readonly IBackendCore _core;

    public string Name { get; }
    public int ParameterCount { get; }
    public double Loss { get; }
    public double[] Gradient { get; }
    public Precision Precision { get; }

    /// <summary>Device memory the structured Hessian may use for one chunk of units (their R-quantities and rows).</summary>
    public const long DefaultHessianChunkBytes = 256L << 20;

    /// <param name="net">A plain network with a squared loss (<see cref="Unsupported"/> says what else is refused).</param>
    /// <param name="theta">The point, in the layout's order.</param>
    /// <param name="precision">The device arithmetic.</param>
    /// <param name="plantedBug">0 in every real run (tests plant a kernel bug: see <see cref="SampleArgs{T}.PlantedBug"/>, <see cref="HessianArgs{T}.PlantedBug"/>).</param>
    /// <param name="hessianChunkBytes">Device memory per chunk of the structured Hessian (tests make it tiny to run many chunks).</param>
    public GpuNetwork(NetworkSpec net, double[] theta, Precision precision = Precision.Float64, int plantedBug = 0, long hessianChunkBytes = DefaultHessianChunkBytes)
    {
        if (Unsupported(net) is { } why) throw new NotSupportedException($"the GPU backend does not run this network: {why}");
        if (theta.Length != net.ParameterCount) throw new ArgumentException($"point has {theta.Length} values, the network has {net.ParameterCount} parameters");
        var accelerator = Devices.Accelerator;
        Name = $"gpu ({Devices.Kind(accelerator.AcceleratorType)}: {accelerator.Name}, {(precision == Precision.Float64 ? "float64" : "float32")})";
        Precision = precision;
        ParameterCount = theta.Length;
        _core = precision == Precision.Float64
            ? new Core<double, Float64>(net, theta, accelerator, plantedBug, hessianChunkBytes)
            : new Core<float, Float32>(net, theta, accelerator, plantedBug, hessianChunkBytes);
        (Loss, Gradient) = _core.LossAndGradient();
    }

    /// <summary>Why the backend cannot run the network, or null.</summary>
    public static string? Unsupported(NetworkSpec net)
    {
        if (!net.IsPlain || net.IsTied || net.Frozen is { Length: > 0 }) return "skip or DAG wiring, tied or frozen parameters (plain networks only)";
        if (!net.OutputScale.IsOne) return "an output scale";
        if (!net.L1Penalty.IsZero) return "an ℓ1 penalty";
        if (net.Loss is not (LossKind.Sse or LossKind.HalfSse or LossKind.Mse or LossKind.HalfMse)) return $"loss {NetworkSpec.LossName(net.Loss)} (squared losses only)";
        if (Enumerable.Range(1, net.Depth).Select(net.ActivationOf).FirstOrDefault(a => Code(a) < 0) is { } bad) return $"activation {bad.Name}";
        return null;
    }

    public double[] HessianVector(double[] v) => _core.HessianVector(v);

    public double[] Hessian(IProgress<int>? columnsDone = null, CancellationToken cancel = default) => _core.Hessian(columnsDone, cancel);

    /// <summary>Lanczos on the device, in the backend's precision (<see cref="IDerivativeBackend.Lanczos"/>).</summary>
    public (double[] Alpha, double[] Beta) Lanczos(double[] start, int steps) => _core.Lanczos(start, steps);

    internal static int Code(Activation a) => a switch
    {
        IdentityActivation => 0,
        LeakyRelu => 1,
        TanhActivation => 2,
        SigmoidActivation => 3,
        Softplus => 4,
        _ => -1,
    };

    private interface IBackendCore
    {
        (double Loss, double[] Gradient) LossAndGradient();
        double[] HessianVector(double[] v);
        double[] Hessian(IProgress<int>? columnsDone, CancellationToken cancel);
        (double[] Alpha, double[] Beta) Lanczos(double[] start, int steps);
    }

    /// <summary>Device buffers for one point and the kernels, specialised to T.</summary>
    private sealed class Core<T, TOps> : IBackendCore where T : unmanaged where TOps : struct, IReal<T>
    {
        private readonly NetworkSpec _net;
        private readonly Accelerator _accelerator;
        private readonly MemoryBuffer1D<T, Stride1D.Dense> _theta, _direction, _x, _y, _scratch, _perSample, _perSampleHv, _loss, _total, _weightMask;
        private readonly MemoryBuffer1D<int, Stride1D.Dense> _shape;
        private readonly MemoryBuffer1D<double, Stride1D.Dense> _parameter;
        private readonly double[] _thetaHost;
        private readonly int _plantedBug;
        private readonly TOps _ops = default;
        private static readonly object KernelGate = new();
        private static Action<Index1D, SampleArgs<T>, TOps>? _sample;
        private static Action<Index1D, ArrayView<T>, ArrayView<T>, int, int, TOps>? _sum;
        private static Action<Index1D, HessianArgs<T>, TOps>? _unitPass, _block;
        private static Action<Index1D, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, TOps>? _partialDots;
        private static Action<Index1D, ArrayView<T>, ArrayView<T>, int, TOps>? _sumPartials;
        private static Action<Index1D, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, TOps>? _subtract;
        private static Action<Index1D, ArrayView<T>, ArrayView<T>, T, TOps>? _scale;
        private static Action<Index1D, ArrayView<T>, ArrayView<T>, ArrayView<T>, T, TOps>? _addMasked;

        private readonly long _hessianChunkBytes;

        public Core(NetworkSpec net, double[] theta, Accelerator accelerator, int plantedBug, long hessianChunkBytes)
        {
            _hessianChunkBytes = hessianChunkBytes;
            _net = net;
            _accelerator = accelerator;
            _thetaHost = theta;
            _plantedBug = plantedBug;
            int n = net.SampleCount, p = theta.Length, h = net.Depth;
            var layout = net.Layout;
            var shape = new List<int> { h };
            shape.AddRange(net.Widths);
            for (int k = 1; k <= h; k++) shape.Add(layout.Weight(k, 0, 0));
            for (int k = 1; k <= h; k++) shape.Add(layout.HasBias(k) ? layout.BiasIndex(k, 0) : -1);
            for (int k = 1; k <= h; k++) shape.Add(Code(net.ActivationOf(k)));
            int units = 0;
            for (int k = 0; k <= h; k++) { shape.Add(units); units += net.Widths[k]; }
            shape.Add(units);
            var parameter = new double[h + 1];
            for (int k = 1; k <= h; k++)
                parameter[k] = net.ActivationOf(k) switch { LeakyRelu r => r.Alpha.ToDouble(), Softplus s => s.Beta.ToDouble(), _ => 0 };
            Load(ref _sample, () => accelerator.LoadAutoGroupedStreamKernel<Index1D, SampleArgs<T>, TOps>(SampleKernels.Sample));
            Load(ref _sum, () => accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<T>, ArrayView<T>, int, int, TOps>(SampleKernels.SumOverSamples));
            Load(ref _addMasked, () => accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<T>, ArrayView<T>, ArrayView<T>, T, TOps>(VectorKernels.AddMasked));
            _shape = accelerator.Allocate1D(shape.ToArray());
            _parameter = accelerator.Allocate1D(parameter);
            _theta = accelerator.Allocate1D(theta.Select(_ops.Of).ToArray());
            _direction = accelerator.Allocate1D<T>(p);
            _x = accelerator.Allocate1D(net.X.SelectMany(r => r).Select(q => _ops.Of(q.ToDouble())).ToArray());
            _y = accelerator.Allocate1D(net.Y.SelectMany(r => r).Select(q => _ops.Of(q.ToDouble())).ToArray());
            _scratch = accelerator.Allocate1D<T>((long)n * SampleKernels.Regions * units);
            _perSample = accelerator.Allocate1D<T>((long)n * p);
            _perSampleHv = accelerator.Allocate1D<T>((long)n * p);
            _loss = accelerator.Allocate1D<T>(n);
            _total = accelerator.Allocate1D<T>(p);
            _weightMask = accelerator.Allocate1D(Enumerable.Range(0, p).Select(q => _ops.Of(layout.IsWeight(q) ? 1 : 0)).ToArray());
            _perSample.MemSetToZero();
            _perSampleHv.MemSetToZero();
        }

        /// <summary>Compiles a kernel on first use only (each compilation costs the first call hundreds of milliseconds).</summary>
        private static void Load<TKernel>(ref TKernel? kernel, Func<TKernel> compile) where TKernel : class
        {
            lock (KernelGate) kernel ??= compile();
        }

        private Networks.SquaredError Head => (Networks.SquaredError)Networks.Loss.Of(_net.Loss, _net.SampleCount, _net.OutputWidth);
        private int P => _thetaHost.Length;
        private double Lambda => _net.WeightDecay.ToDouble();

        /// <summary>The sample kernel along a direction (ignored without H v); leaves the point's own pass in the scratch.</summary>
        private void Run(bool withHv, ArrayView<T> direction)
        {
            var args = new SampleArgs<T>
            {
                Theta = _theta.View, Direction = direction, X = _x.View, Y = _y.View, Scratch = _scratch.View,
                GradientOut = _perSample.View, HvOut = _perSampleHv.View, LossOut = _loss.View, Shape = _shape.View, ActivationParameter = _parameter.View,
                TwoC = _ops.Of(2 * Head.Scale.ToDouble()), ParameterCount = P, WithHv = withHv ? 1 : 0, PlantedBug = _plantedBug,
            };
            _sample!(_net.SampleCount, args, _ops);
        }

        private double[] ToHost(ArrayView1D<T, Stride1D.Dense> view)
        {
            _accelerator.Synchronize();
            return view.GetAsArray1D().Select(_ops.ToDouble).ToArray();
        }

        public (double Loss, double[] Gradient) LossAndGradient()
        {
            Run(withHv: false, _direction.View);
            _sum!(P, _perSample.View, _total.View, _net.SampleCount, P, _ops);
            var gradient = ToHost(_total.View);
            double c = Head.Scale.ToDouble();
            double loss = c * _loss.GetAsArray1D().Sum(_ops.ToDouble);
            var layout = _net.Layout;
            for (int p = 0; p < gradient.Length; p++)
                if (layout.IsWeight(p)) { gradient[p] += Lambda * _thetaHost[p]; loss += Lambda / 2 * _thetaHost[p] * _thetaHost[p]; } // weight decay spares biases (Penalty)
            return (loss, gradient);
        }

        /// <summary>result = H v with both on the device (λ v added on the weights).</summary>
        private void HessianVector(ArrayView<T> v, ArrayView<T> result)
        {
            Run(withHv: true, v);
            _sum!(P, _perSampleHv.View, result, _net.SampleCount, P, _ops);
            if (Lambda != 0) _addMasked!(P, v, _weightMask.View, result, _ops.Of(Lambda), _ops);
        }

        public double[] HessianVector(double[] v)
        {
            if (v.Length != P) throw new ArgumentException($"direction has {v.Length} values, the network has {P} parameters");
            _direction.CopyFromCPU(v.Select(_ops.Of).ToArray());
            HessianVector(_direction.View, _total.View);
            return ToHost(_total.View);
        }

        public double[] Hessian(IProgress<int>? columnsDone, CancellationToken cancel)
        {
            int p = P, n = _net.SampleCount, depth = _net.Depth;
            if ((long)p * p > Array.MaxLength) throw new InvalidOperationException($"a {p}×{p} Hessian does not fit in one array; use Lanczos or SLQ");
            var layout = _net.Layout;
            var widths = _net.Widths;
            int units = widths.Sum(), extra = _net.Bias ? 1 : 0;
            var all = Enumerable.Range(1, depth).SelectMany(k => Enumerable.Range(0, widths[k]).Select(i => (Layer: k, Index: i))).ToArray();
            int directions = Enumerable.Range(1, depth).Max(k => widths[k - 1] + extra);
            // A chunk of units: their R-quantities (N·3U each) and their rows (D·P each) on the device at once.
            long perUnit = ((long)n * 3 * units + (long)directions * p) * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            int chunk = (int)Math.Clamp(_hessianChunkBytes / perUnit, 1, Math.Min(all.Length, int.MaxValue / ((long)directions * p)));
            using var r = _accelerator.Allocate1D<T>((long)chunk * n * 3 * units);
            using var rows = _accelerator.Allocate1D<T>((long)chunk * directions * p);
            using var unitLayer = _accelerator.Allocate1D<int>(chunk);
            using var unitIndex = _accelerator.Allocate1D<int>(chunk);
            Load(ref _unitPass, () => _accelerator.LoadAutoGroupedStreamKernel<Index1D, HessianArgs<T>, TOps>(HessianKernels.UnitPass));
            Load(ref _block, () => _accelerator.LoadAutoGroupedStreamKernel<Index1D, HessianArgs<T>, TOps>(HessianKernels.Block));
            var h = new double[(long)p * p];
            int done = 0;
            for (int first = 0; first < all.Length; first += chunk)
            {
                cancel.ThrowIfCancellationRequested();
                var part = all.AsSpan(first, Math.Min(chunk, all.Length - first)).ToArray();
                unitLayer.View.SubView(0, part.Length).CopyFromCPU(part.Select(u => u.Layer).ToArray());
                unitIndex.View.SubView(0, part.Length).CopyFromCPU(part.Select(u => u.Index).ToArray());
                var args = new HessianArgs<T>
                {
                    Theta = _theta.View, Point = _scratch.View, R = r.View, Rows = rows.View, Shape = _shape.View, UnitLayer = unitLayer.View, UnitIndex = unitIndex.View,
                    ActivationParameter = _parameter.View, TwoC = _ops.Of(2 * Head.Scale.ToDouble()), Samples = n, ParameterCount = p, Directions = directions,
                    PlantedBug = _plantedBug,
                };
                _unitPass!(part.Length * n, args, _ops);
                _block!(part.Length * directions * p, args, _ops);
                var values = ToHost(rows.View.SubView(0, (long)part.Length * directions * p));
                for (int u = 0; u < part.Length; u++)
                {
                    var (k, i) = part[u];
                    int fanIn = widths[k - 1], layerStart = layout.Weight(k, 0, 0);
                    for (int j = 0; j < fanIn + extra; j++)
                    {
                        int row = j < fanIn ? layout.Weight(k, i, j) : layout.BiasIndex(k, i);
                        Array.Copy(values, ((long)u * directions + j) * p + layerStart, h, (long)row * p + layerStart, p - layerStart);
                    }
                    columnsDone?.Report(done += fanIn + extra);
                }
            }
            DenseNetwork.CompleteStructuredHessian(h, layout, depth, Lambda);
            return h;
        }

        /// <summary>
        /// Lanczos from start (normalised here), as <see cref="Spectrum.LanczosCoefficients"/>, with Q, w and every
        /// product on the device: w = H q_k, two passes of classical Gram–Schmidt against q_0..q_k (the first pass's
        /// coefficient of q_k is α_k = q_k·w), β_k = ‖w‖.
        /// Stops early when β_k is rounding noise (an invariant subspace).
        /// </summary>
        public (double[] Alpha, double[] Beta) Lanczos(double[] start, int steps)
        {
            int p = P;
            steps = Math.Min(steps, p);
            if (start.Length != p) throw new ArgumentException($"start vector has {start.Length} values, the network has {p} parameters");
            Load(ref _partialDots, () => _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, TOps>(VectorKernels.PartialDots));
            Load(ref _sumPartials, () => _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<T>, ArrayView<T>, int, TOps>(VectorKernels.SumPartials));
            Load(ref _subtract, () => _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, TOps>(VectorKernels.SubtractProjections));
            Load(ref _scale, () => _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<T>, ArrayView<T>, T, TOps>(VectorKernels.Scale));
            using var q = _accelerator.Allocate1D<T>((long)steps * p);
            using var w = _accelerator.Allocate1D<T>(p);
            using var c = _accelerator.Allocate1D<T>(steps);
            int chunks = (p + VectorKernels.Chunk - 1) / VectorKernels.Chunk;
            using var partial = _accelerator.Allocate1D<T>((long)steps * chunks);
            // c[0..rows) = Q[0..rows) w
            void Dots(ArrayView<T> rows, int count, ArrayView<T> w)
            {
                _partialDots!(count * chunks, rows, w, partial.View, p, _ops);
                _sumPartials!(count, partial.View, c.View, chunks, _ops);
            }
            double norm = Math.Sqrt(start.Sum(x => x * x));
            q.View.SubView(0, p).CopyFromCPU(start.Select(x => _ops.Of(x / norm)).ToArray());
            double noise = Math.Max(1e-14, 16 * _ops.UnitRoundoff);
            var alpha = new List<double>();
            var beta = new List<double>();
            for (int k = 0; k < steps; k++)
            {
                HessianVector(q.View.SubView((long)k * p, p), w.View);
                for (int pass = 0; pass < 2; pass++)
                {
                    Dots(q.View, k + 1, w.View);
                    // The first pass's last dot is q_k·(H q_k), taken before anything is subtracted: α_k.
                    if (pass == 0) alpha.Add(ToHost(c.View.SubView(k, 1))[0]);
                    _subtract!(p, q.View, c.View, w.View, k + 1, p, _ops);
                }
                Dots(w.View, 1, w.View);
                double b = Math.Sqrt(ToHost(c.View.SubView(0, 1))[0]);
                beta.Add(b);
                if (k == steps - 1 || b <= noise * Math.Max(1, Math.Abs(alpha[^1]))) break;
                _scale!(p, w.View, q.View.SubView((long)(k + 1) * p, p), _ops.Of(1 / b), _ops);
            }
            return (alpha.ToArray(), beta.ToArray());
        }
    }
}
