using ILGPU;
using ILGPU.Runtime;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Numerics.Gpu;

/// <summary>Float64 or float32 arithmetic on the device.</summary>
public enum Precision { Float64, Float32 }

/// <summary>
/// The ILGPU backend at one point θ (<see cref="IDerivativeBackend"/>): loss and gradient at construction, H v by the
/// R-operator (one kernel launch over the samples, then a fixed-order sum), the full Hessian as P products H e_p.
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

    public GpuNetwork(NetworkSpec net, double[] theta, Precision precision = Precision.Float64, int plantedBug = 0)
    {
        if (Unsupported(net) is { } why) throw new NotSupportedException($"the GPU backend does not run this network: {why}");
        if (theta.Length != net.ParameterCount) throw new ArgumentException($"point has {theta.Length} values, the network has {net.ParameterCount} parameters");
        var accelerator = Devices.Accelerator;
        Name = $"gpu ({Devices.Kind(accelerator.AcceleratorType)}: {accelerator.Name}, {(precision == Precision.Float64 ? "float64" : "float32")})";
        Precision = precision;
        ParameterCount = theta.Length;
        _core = precision == Precision.Float64
            ? new Core<double, Float64>(net, theta, accelerator, plantedBug)
            : new Core<float, Float32>(net, theta, accelerator, plantedBug);
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

    public double[] Hessian(IProgress<int>? columnsDone = null, CancellationToken cancel = default)
    {
        int p = ParameterCount;
        var h = new double[p * p];
        var e = new double[p];
        for (int c = 0; c < p; c++)
        {
            cancel.ThrowIfCancellationRequested();
            e[c] = 1;
            var column = HessianVector(e);
            e[c] = 0;
            for (int r = 0; r < p; r++) h[r * p + c] = column[r];
            columnsDone?.Report(c + 1);
        }
        // Symmetrise: the two halves agree up to rounding; the CPU engine's Hessian is symmetric by construction.
        for (int r = 0; r < p; r++) for (int c = r + 1; c < p; c++) h[r * p + c] = h[c * p + r] = 0.5 * (h[r * p + c] + h[c * p + r]);
        return h;
    }

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
    }

    /// <summary>Device buffers for one point and the two kernels, specialised to T.</summary>
    private sealed class Core<T, TOps> : IBackendCore where T : unmanaged where TOps : struct, IReal<T>
    {
        private readonly NetworkSpec _net;
        private readonly Accelerator _accelerator;
        private readonly MemoryBuffer1D<T, Stride1D.Dense> _theta, _direction, _x, _y, _scratch, _perSample, _perSampleHv, _loss, _total;
        private readonly MemoryBuffer1D<int, Stride1D.Dense> _shape;
        private readonly MemoryBuffer1D<double, Stride1D.Dense> _parameter;
        private readonly double[] _thetaHost;
        private readonly int _plantedBug;
        private readonly TOps _ops = default;
        private static readonly object KernelGate = new();
        private static Action<Index1D, SampleArgs<T>, TOps>? _sample;
        private static Action<Index1D, ArrayView<T>, ArrayView<T>, int, int, TOps>? _sum;

        public Core(NetworkSpec net, double[] theta, Accelerator accelerator, int plantedBug)
        {
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
            lock (KernelGate)
            {
                _sample ??= accelerator.LoadAutoGroupedStreamKernel<Index1D, SampleArgs<T>, TOps>(SampleKernels.Sample);
                _sum ??= accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<T>, ArrayView<T>, int, int, TOps>(SampleKernels.SumOverSamples);
            }
            _shape = accelerator.Allocate1D(shape.ToArray());
            _parameter = accelerator.Allocate1D(parameter);
            _theta = accelerator.Allocate1D(theta.Select(_ops.Of).ToArray());
            _direction = accelerator.Allocate1D<T>(p);
            _x = accelerator.Allocate1D(net.X.SelectMany(r => r).Select(q => _ops.Of(q.ToDouble())).ToArray());
            _y = accelerator.Allocate1D(net.Y.SelectMany(r => r).Select(q => _ops.Of(q.ToDouble())).ToArray());
            _scratch = accelerator.Allocate1D<T>((long)n * 8 * units);
            _perSample = accelerator.Allocate1D<T>((long)n * p);
            _perSampleHv = accelerator.Allocate1D<T>((long)n * p);
            _loss = accelerator.Allocate1D<T>(n);
            _total = accelerator.Allocate1D<T>(p);
            _perSample.MemSetToZero();
            _perSampleHv.MemSetToZero();
        }

        private Networks.SquaredError Head => (Networks.SquaredError)Networks.Loss.Of(_net.Loss, _net.SampleCount, _net.OutputWidth);

        private void Run(bool withHv)
        {
            var args = new SampleArgs<T>
            {
                Theta = _theta.View, Direction = _direction.View, X = _x.View, Y = _y.View, Scratch = _scratch.View,
                GradientOut = _perSample.View, HvOut = _perSampleHv.View, LossOut = _loss.View, Shape = _shape.View, ActivationParameter = _parameter.View,
                TwoC = _ops.Of(2 * Head.Scale.ToDouble()), ParameterCount = _thetaHost.Length, WithHv = withHv ? 1 : 0, PlantedBug = _plantedBug,
            };
            _sample!(_net.SampleCount, args, _ops);
        }

        private double[] Sum(MemoryBuffer1D<T, Stride1D.Dense> perSample)
        {
            _sum!(_thetaHost.Length, perSample.View, _total.View, _net.SampleCount, _thetaHost.Length, _ops);
            _accelerator.Synchronize();
            return _total.GetAsArray1D().Select(_ops.ToDouble).ToArray();
        }

        public (double Loss, double[] Gradient) LossAndGradient()
        {
            Run(withHv: false);
            var gradient = Sum(_perSample);
            double c = Head.Scale.ToDouble(), lambda = _net.WeightDecay.ToDouble();
            double loss = c * _loss.GetAsArray1D().Sum(_ops.ToDouble);
            var layout = _net.Layout;
            for (int p = 0; p < gradient.Length; p++)
                if (layout.IsWeight(p)) { gradient[p] += lambda * _thetaHost[p]; loss += lambda / 2 * _thetaHost[p] * _thetaHost[p]; } // weight decay spares biases (Penalty)
            return (loss, gradient);
        }

        public double[] HessianVector(double[] v)
        {
            if (v.Length != _thetaHost.Length) throw new ArgumentException($"direction has {v.Length} values, the network has {_thetaHost.Length} parameters");
            _direction.CopyFromCPU(v.Select(_ops.Of).ToArray());
            Run(withHv: true);
            var hv = Sum(_perSampleHv);
            double lambda = _net.WeightDecay.ToDouble();
            var layout = _net.Layout;
            for (int p = 0; p < hv.Length; p++) if (layout.IsWeight(p)) hv[p] += lambda * v[p];
            return hv;
        }
    }
}
