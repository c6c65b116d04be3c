using MathNet.Numerics.LinearAlgebra;

namespace VerifyLandscape.Numerics;

/// <summary>Ritz values of a Lanczos run, with the residual bound of each (|β_k · last component of its eigenvector|).</summary>
public sealed record LanczosResult(double[] RitzValues, double[] ResidualBounds, int Steps)
{
    public double Largest => RitzValues[^1];
    public double Smallest => RitzValues[0];
}

/// <summary>A spectral density estimate: Gauss quadrature nodes and weights (weights sum to 1), averaged over probes.</summary>
public sealed record SpectralDensity(double[] Nodes, double[] Weights, int Probes, int Steps)
{
    /// <summary>The density smoothed by a Gaussian of width sigma, on a grid of points.</summary>
    public double[] Smoothed(double[] grid, double sigma) => grid.Select(x =>
        Nodes.Zip(Weights).Sum(nw => nw.Second * Math.Exp(-0.5 * Math.Pow((x - nw.First) / sigma, 2)) / (sigma * Math.Sqrt(2 * Math.PI)))).ToArray();
}

/// <summary>α_1..α_k and β_1..β_k of k Lanczos steps from a start vector (see <see cref="Spectrum.LanczosCoefficients"/>).</summary>
public delegate (double[] Alpha, double[] Beta) LanczosRecurrence(double[] start, int steps);

/// <summary>
/// Eigenvalues of the Hessian from products H v only (Lanczos, stochastic Lanczos quadrature), or from the dense
/// matrix (<see cref="SymmetricEigen"/>) when it fits in memory.
/// </summary>
public static class Spectrum
{
    /// <summary>
    /// Lanczos with full reorthogonalisation (each new vector is orthogonalised twice against all previous ones,
    /// so Ritz values do not repeat spuriously). Memory: steps·P doubles. The extreme Ritz values converge first;
    /// the residual bound of a Ritz value θ is |β_k s_k|, and some eigenvalue lies within it of θ.
    /// </summary>
    public static LanczosResult Lanczos(Func<double[], double[]> multiply, int dimension, int steps, int seed = 1) =>
        Lanczos((start, k) => LanczosCoefficients(multiply, start, k), dimension, steps, seed);

    /// <summary>Lanczos as above, the recurrence run by <paramref name="recurrence"/> (e.g. a backend's, on its device).</summary>
    public static LanczosResult Lanczos(LanczosRecurrence recurrence, int dimension, int steps, int seed = 1)
    {
        var rng = new Random(seed);
        var start = Enumerable.Range(0, dimension).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var (alpha, beta) = recurrence(start, Math.Min(steps, dimension));
        var (values, vectors) = Tridiagonal(alpha, beta[..^1]);
        double last = beta[^1];
        var bounds = Enumerable.Range(0, values.Length).Select(i => Math.Abs(last * vectors[alpha.Length - 1, i])).ToArray();
        return new LanczosResult(values, bounds, alpha.Length);
    }

    /// <summary>
    /// Stochastic Lanczos quadrature: for each Rademacher probe z, Lanczos from z/‖z‖ gives nodes θ_i and weights
    /// (first eigenvector components)²; averaging over probes estimates the spectral density (1/P) Σ δ(λ − λ_j).
    /// </summary>
    public static SpectralDensity Density(Func<double[], double[]> multiply, int dimension, int probes, int steps, int seed = 1) =>
        Density((start, k) => LanczosCoefficients(multiply, start, k), dimension, probes, steps, seed);

    public static SpectralDensity Density(LanczosRecurrence recurrence, int dimension, int probes, int steps, int seed = 1)
    {
        var nodes = new List<double>();
        var weights = new List<double>();
        var rng = new Random(seed);
        for (int probe = 0; probe < probes; probe++)
        {
            var start = Enumerable.Range(0, dimension).Select(_ => rng.Next(2) == 0 ? -1.0 : 1.0).ToArray();
            var (alpha, beta) = recurrence(start, Math.Min(steps, dimension));
            var (values, vectors) = Tridiagonal(alpha, beta[..^1]);
            for (int i = 0; i < values.Length; i++)
            {
                nodes.Add(values[i]);
                weights.Add(vectors[0, i] * vectors[0, i] / probes);
            }
        }
        return new SpectralDensity(nodes.ToArray(), weights.ToArray(), probes, steps);
    }

    /// <summary>
    /// α_1..α_k and β_1..β_k of the Lanczos recurrence from the start vector, with full reorthogonalisation (each new
    /// vector orthogonalised twice against all previous ones, so Ritz values do not repeat spuriously). β_1..β_{k−1} are
    /// the tridiagonal's off-diagonal; β_k, the norm of the last residual, gives the Ritz values' residual bounds.
    /// Stops early when the residual vanishes (an invariant subspace).
    /// </summary>
    public static (double[] Alpha, double[] Beta) LanczosCoefficients(Func<double[], double[]> multiply, double[] start, int steps)
    {
        int n = start.Length;
        var q = new List<double[]>();
        var v = (double[])start.Clone();
        Scale(v, 1 / Norm(v));
        var alpha = new List<double>();
        var beta = new List<double>();
        for (int k = 0; k < steps; k++)
        {
            q.Add(v);
            var w = multiply(v);
            alpha.Add(Dot(w, v));
            for (int pass = 0; pass < 2; pass++)
                foreach (var u in q)
                {
                    double c = Dot(w, u);
                    for (int i = 0; i < n; i++) w[i] -= c * u[i];
                }
            double b = Norm(w);
            beta.Add(b);
            if (k == steps - 1 || b <= 1e-14 * Math.Max(1, Math.Abs(alpha[^1]))) break;
            Scale(w, 1 / b);
            v = w;
        }
        return (alpha.ToArray(), beta.ToArray());
    }

    /// <summary>
    /// All eigenvalues (ascending) of a dense symmetric matrix, row-major n×n (<see cref="SymmetricEigen"/>);
    /// <paramref name="overwrite"/>: the matrix is work space (no copy).
    /// </summary>
    public static double[] Eigenvalues(double[] symmetric, int n, bool overwrite = false) => SymmetricEigen.Eigenvalues(symmetric, n, overwrite: overwrite);

    /// <summary>Eigenvalues and eigenvectors (columns) of the symmetric tridiagonal matrix with diagonal a and off-diagonal b.</summary>
    private static (double[] Values, Matrix<double> Vectors) Tridiagonal(double[] a, double[] b)
    {
        int k = a.Length;
        var t = Matrix<double>.Build.Dense(k, k);
        for (int i = 0; i < k; i++)
        {
            t[i, i] = a[i];
            if (i + 1 < k) t[i, i + 1] = t[i + 1, i] = b[i];
        }
        var evd = t.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, k).OrderBy(i => evd.EigenValues[i].Real).ToArray();
        var values = order.Select(i => evd.EigenValues[i].Real).ToArray();
        var vectors = Matrix<double>.Build.Dense(k, k, (r, c) => evd.EigenVectors[r, order[c]]);
        return (values, vectors);
    }

    private static double Dot(double[] x, double[] y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    private static double Norm(double[] x) => Math.Sqrt(Dot(x, x));
    private static void Scale(double[] x, double c) { for (int i = 0; i < x.Length; i++) x[i] *= c; }
}
