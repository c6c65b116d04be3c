using VerifyLandscape.Networks;

namespace VerifyLandscape.Numerics;

/// <summary>
/// A double-precision derivative engine at one point θ: what the numeric claims, the spectrum code and
/// the audit ask of it. The CPU engine (<see cref="DenseNetwork"/>) is the reference; a GPU backend
/// implements the same interface and is chosen at run time only where a device is present
/// (<see cref="Backends"/>), so nothing above this interface changes.
/// Parameters are in the layout's order (W1 row-major, b1, W2, b2, …), as `vl derive` names them.
/// </summary>
public interface IDerivativeBackend
{
    string Name { get; }
    int ParameterCount { get; }
    double Loss { get; }
    /// <summary>∇L at θ (length P).</summary>
    double[] Gradient { get; }
    /// <summary>H v by the R-operator (exact in exact arithmetic; no finite differences). Memory O(N·Σn_k).</summary>
    double[] HessianVector(double[] v);
    /// <summary>The full Hessian, row-major P×P, symmetric. Memory 8·P² bytes.</summary>
    double[] Hessian(IProgress<int>? columnsDone = null, CancellationToken cancel = default);
    /// <summary>
    /// α and β of Lanczos on the Hessian from start, with full reorthogonalisation (<see cref="Spectrum.LanczosCoefficients"/>).
    /// By default on the host over <see cref="HessianVector"/>; a backend may keep the Krylov basis where its products are.
    /// </summary>
    (double[] Alpha, double[] Beta) Lanczos(double[] start, int steps) => Spectrum.LanczosCoefficients(HessianVector, start, steps);
}

/// <summary>
/// Picks the backend: cpu (the CPU engine, float64), gpu (ILGPU on the first CUDA or OpenCL device, else on ILGPU's CPU
/// accelerator; float64 or float32), auto (gpu where a CUDA or OpenCL device is present and the network is supported,
/// else cpu).
/// </summary>
public static class Backends
{
    public static readonly string[] Names = ["cpu", "gpu", "auto"];

    /// <summary>
    /// The backend of the numeric claims (vl check --backend; set once, before any claim runs). With gpu, an instance the
    /// GPU backend does not run (an activation or loss it lacks) is computed by the CPU engine, as with auto.
    /// </summary>
    public static string ForClaims { get; set; } = "cpu";

    /// <summary>The numeric claims' engine at θ: <see cref="ForClaims"/>, falling back to the CPU engine where the GPU backend does not apply.</summary>
    public static IDerivativeBackend ForClaim(NetworkSpec net, double[] theta) =>
        ForClaims == "gpu" && Gpu.GpuNetwork.Unsupported(net) is null ? new Gpu.GpuNetwork(net, theta, Gpu.Precision.Float64)
        : Create(net, theta, ForClaims == "gpu" ? "cpu" : ForClaims);

    public static IDerivativeBackend Create(NetworkSpec net, double[] theta, string backend = "cpu", Gpu.Precision precision = Gpu.Precision.Float64) => backend switch
    {
        "cpu" when precision == Gpu.Precision.Float64 => new DenseNetwork(net, theta),
        "cpu" => throw new NotSupportedException("the CPU engine computes in float64 only; float32 runs on --backend gpu"),
        "gpu" => new Gpu.GpuNetwork(net, theta, precision),
        "auto" => Gpu.Devices.HasGpu() && Gpu.GpuNetwork.Unsupported(net) is null ? new Gpu.GpuNetwork(net, theta, precision) : Create(net, theta, "cpu", precision),
        _ => throw new ArgumentException($"unknown backend '{backend}' (cpu, gpu, auto)"),
    };
}
