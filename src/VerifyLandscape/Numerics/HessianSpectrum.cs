using VerifyLandscape.Networks;

namespace VerifyLandscape.Numerics;

/// <summary>
/// What `vl spectrum` reports about the Hessian of the loss at a point (double precision, the numeric engine), for the
/// whole network or one layer's block: the extreme eigenvalues by Lanczos with the residual bound of each (some
/// eigenvalue lies within it), the trace by Hutchinson's estimator with its standard error, optionally the spectral
/// density (stochastic Lanczos quadrature), and optionally every eigenvalue from the dense matrix, which is formed only
/// after its memory has been estimated and found to fit. Every random choice comes from the seed.
/// </summary>
public static class HessianSpectrum
{
    public sealed record Options
    {
        public int Top { get; init; } = 5;
        public int Bottom { get; init; } = 5;
        public int Steps { get; init; } = 100;
        public int Seed { get; init; } = 1;
        /// <summary>A layer 1..L for its (W_k, b_k) block; null for the whole Hessian.</summary>
        public int? Layer { get; init; }
        public int TraceProbes { get; init; } = 30;
        /// <summary>Probes for the density; 0 for none.</summary>
        public int DensityProbes { get; init; }
        public bool Dense { get; init; }
        /// <summary>The dense matrix and the eigensolver's copy must fit in this many bytes (default: half the memory available).</summary>
        public long? MemoryLimitBytes { get; init; }
        /// <summary>cpu | gpu | auto (<see cref="Backends"/>), and the device arithmetic for gpu.</summary>
        public string Backend { get; init; } = "cpu";
        public Gpu.Precision Precision { get; init; } = Gpu.Precision.Float64;
    }

    public sealed record Eigenvalue(double Value, double ResidualBound);

    public sealed record Report(int Parameters, string Block, int LanczosSteps, Eigenvalue[] Top, Eigenvalue[] Bottom,
                                double TraceEstimate, double TraceStandardError, int TraceProbes,
                                SpectralDensity? Density, double[]? DenseEigenvalues, double? DenseTrace, string Backend);

    /// <summary>The memory the dense route needs: the Hessian and the eigensolver's working copy, 8 bytes per entry each.</summary>
    public static long DenseBytes(int n) => 2L * 8 * n * n;

    public static Report Run(NetworkSpec spec, double[] theta, Options o, IProgress<string>? progress = null)
    {
        var layout = spec.Layout;
        if (o.Layer is { } k && (k < 1 || k > spec.Depth)) throw new ArgumentOutOfRangeException(nameof(o.Layer), $"layer {k} is not in 1..{spec.Depth}");
        int[] block = o.Layer is { } layer ? layout.WeightsOf(layer).Concat(layout.BiasesOf(layer)).ToArray() : Enumerable.Range(0, layout.Count).ToArray();
        int n = block.Length;
        if (o.Dense)
        {
            long limit = o.MemoryLimitBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;
            if (DenseBytes(n) > limit)
                throw new InsufficientMemoryException($"the dense {n}×{n} Hessian needs about {DenseBytes(n) / 1e9:0.##} GB (matrix and eigensolver copy), more than the {limit / 1e9:0.##} GB allowed; use the matrix-free estimates (drop --dense) or --layer K for one block");
        }
        var network = Backends.Create(spec, theta, o.Backend, o.Precision);
        progress?.Report($"backend: {network.Name}");
        double[] Multiply(double[] v)
        {
            if (o.Layer is null) return network.HessianVector(v);
            var full = new double[layout.Count];
            for (int i = 0; i < n; i++) full[block[i]] = v[i];
            var product = network.HessianVector(full);
            return block.Select(p => product[p]).ToArray();
        }
        // The whole Hessian: the backend runs the recurrence (on its device for gpu); one block: on the host over Multiply.
        LanczosRecurrence recurrence = o.Layer is null ? network.Lanczos : (start, k) => Spectrum.LanczosCoefficients(Multiply, start, k);
        progress?.Report($"Lanczos, {Math.Min(o.Steps, n)} steps");
        var lanczos = Spectrum.Lanczos(recurrence, n, o.Steps, o.Seed);
        var ritz = lanczos.RitzValues.Zip(lanczos.ResidualBounds, (v, b) => new Eigenvalue(v, b)).ToArray();
        var top = ritz.Reverse().Take(o.Top).ToArray();
        var bottom = ritz.Take(o.Bottom).ToArray();

        progress?.Report($"trace, {o.TraceProbes} probes");
        var rng = new Random(o.Seed + 1);
        var samples = new double[o.TraceProbes];
        for (int s = 0; s < o.TraceProbes; s++)
        {
            var z = Enumerable.Range(0, n).Select(_ => rng.Next(2) == 0 ? -1.0 : 1.0).ToArray();
            var hz = Multiply(z);
            for (int i = 0; i < n; i++) samples[s] += z[i] * hz[i];
        }
        double mean = samples.Average();
        double standardError = o.TraceProbes > 1 ? Math.Sqrt(samples.Sum(x => (x - mean) * (x - mean)) / (o.TraceProbes - 1) / o.TraceProbes) : double.NaN;

        SpectralDensity? density = null;
        if (o.DensityProbes > 0)
        {
            progress?.Report($"density, {o.DensityProbes} probes");
            density = Spectrum.Density(recurrence, n, o.DensityProbes, o.Steps, o.Seed + 2);
        }

        double[]? all = null;
        double? denseTrace = null;
        if (o.Dense)
        {
            progress?.Report("dense Hessian and all eigenvalues");
            var h = new double[n * n];
            if (o.Layer is null) h = network.Hessian();
            else
                for (int j = 0; j < n; j++)
                {
                    var e = new double[n];
                    e[j] = 1;
                    var column = Multiply(e);
                    for (int i = 0; i < n; i++) h[i * n + j] = column[i];
                }
            denseTrace = Enumerable.Range(0, n).Sum(i => h[i * n + i]);
            all = Spectrum.Eigenvalues(h, n, overwrite: true); // h is not used after this
        }
        string name = o.Layer is { } l ? $"layer {l} (W{l}, b{l}: {n} parameters)" : $"whole network ({n} parameters)";
        return new Report(layout.Count, name, lanczos.Steps, top, bottom, mean, standardError, o.TraceProbes, density, all, denseTrace, network.Name);
    }
}
