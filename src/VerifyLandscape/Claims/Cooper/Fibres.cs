using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using Interval = VerifyLandscape.Intervals.Interval;

namespace VerifyLandscape.Claims.Cooper;

/// <summary>
/// Cooper's fibres (§5): fix the first ℓ−1 layers, and L is a quadratic in the last layer V = (W_ℓ, b_ℓ):
///   L(V) = Σ_i ‖V a_i − y_i‖²,  a_i = [φ(x_i); 1],  A = [Φ; 1ᵀ] = [a_1 … a_N]  ((n_{ℓ−1}+1) × N).
/// An instance "fibre:SEED" or "global-min:SEED" sets the hidden layers to small random rationals from the
/// seed; a global minimum in that fibre solves V A = Y exactly (it exists when rank A = N).
/// </summary>
public static class Fibres
{
    /// <summary>The hidden layers from the seed, the last layer zero.</summary>
    public static Rational[] HiddenLayers(NetworkSpec net, int seed)
    {
        var layout = net.Layout;
        var random = Point.RandomRationals(layout.Count, seed);
        var last = LastLayer(net).ToHashSet();
        return Enumerable.Range(0, layout.Count).Select(p => last.Contains(p) ? Rational.Zero : random[p]).ToArray();
    }

    /// <summary>Parameter indices of the last layer, W_ℓ then b_ℓ.</summary>
    public static IEnumerable<int> LastLayer(NetworkSpec net) => net.Layout.WeightsOf(net.Depth).Concat(net.Layout.BiasesOf(net.Depth));

    /// <summary>The augmented feature matrix A = [Φ; 1ᵀ], exact; throws NotExactException for transcendental σ.</summary>
    public static Rational[,] AugmentedFeatures(NetworkSpec net, Rational[] theta)
    {
        var d = new NetworkDerivatives<Rational>(net, theta);
        int h = net.Widths[net.Depth - 1], n = net.SampleCount;
        var a = new Rational[h + 1, n];
        for (int i = 0; i < n; i++)
        {
            var phi = d.Activations(net.Depth - 1, i);
            for (int k = 0; k < h; k++) a[k, i] = phi[k];
            a[h, i] = Rational.One;
        }
        return a;
    }

    /// <summary>Enclosures of the features Φ (n_{ℓ−1} × N), for any smooth σ.</summary>
    public static Interval[,] FeatureEnclosures(NetworkSpec net, Rational[] theta)
    {
        var d = new NetworkDerivatives<Interval>(net, theta.Select(Interval.FromRational).ToArray());
        int h = net.Widths[net.Depth - 1], n = net.SampleCount;
        var phi = new Interval[h, n];
        for (int i = 0; i < n; i++)
        {
            var column = d.Activations(net.Depth - 1, i);
            for (int k = 0; k < h; k++) phi[k, i] = column[k];
        }
        return phi;
    }

    /// <summary>
    /// Solves V A = Y for the last layer, exactly: one row v_o per output, Aᵀ v_o = y_o. Returns the point
    /// (hidden layers kept, last layer a particular solution with free unknowns 0), or null when Y is not
    /// in the row space of A (no zero-loss point in this fibre).
    /// </summary>
    public static Rational[]? GlobalMinimum(NetworkSpec net, Rational[] hidden, Rational[,] a)
    {
        int rows = a.GetLength(0), n = a.GetLength(1), m = net.OutputWidth, l = net.Depth;
        var theta = (Rational[])hidden.Clone();
        var layout = net.Layout;
        for (int o = 0; o < m; o++)
        {
            var system = new Rational[n, rows + 1]; // [Aᵀ | y_o]
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < rows; k++) system[i, k] = a[k, i];
                system[i, rows] = net.Y[i][o];
            }
            var pivots = ExactLinearAlgebra.RowReduce(system);
            if (pivots.Contains(rows)) return null; // inconsistent
            for (int r = 0; r < pivots.Count; r++)
            {
                int k = pivots[r];
                var value = system[r, rows];
                theta[k < rows - 1 ? layout.Weight(l, o, k) : layout.BiasIndex(l, o)] = value;
            }
        }
        return theta;
    }

    /// <summary>
    /// Proves rank Φ = N (Φ is h × N, h ≥ N) from enclosures: interval elimination (<see cref="IntervalElimination"/>)
    /// must find a pivot in every column, so some N × N minor is non-singular. Returns the chosen rows, or null.
    /// </summary>
    public static int[]? ProveFullColumnRank(Interval[,] phi)
    {
        if (phi.GetLength(0) < phi.GetLength(1)) return null;
        var rows = IntervalElimination.PivotRows(phi);
        return rows.All(r => r >= 0) ? rows : null;
    }
}
