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
}

/// <summary>Picks the backend: the CPU engine, unless a GPU backend is requested and available.</summary>
public static class Backends
{
    public static IDerivativeBackend Create(NetworkSpec net, double[] theta, string backend = "cpu") => backend switch
    {
        "cpu" => new DenseNetwork(net, theta),
        "gpu" => throw new NotSupportedException("no GPU backend in this build: the CPU engine is the only backend (see BENCHMARKS.md)"),
        _ => throw new ArgumentException($"unknown backend '{backend}' (cpu)"),
    };
}
