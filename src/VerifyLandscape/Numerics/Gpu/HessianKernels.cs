using ILGPU;
using static VerifyLandscape.Numerics.Gpu.SampleKernels;

namespace VerifyLandscape.Numerics.Gpu;

/// <summary>
/// What the structured Hessian's kernels read and write. Point: the sample kernel's scratch after a run at θ (Z, A, DA
/// and DZ of every sample). UnitLayer/UnitIndex: the chunk's units (k, i). R: per (unit, sample) the R-quantities of
/// the direction b_k[i], 3·U values (Rz, Ra, Rδz). Rows: the chunk's rows of H, (unit, j) → row (unit·D + j), P wide.
/// </summary>
public struct HessianArgs<T> where T : unmanaged
{
    public ArrayView<T> Theta, Point, R, Rows;
    public ArrayView<int> Shape, UnitLayer, UnitIndex;
    public ArrayView<double> ActivationParameter;
    public T TwoC;
    public int Samples, ParameterCount, Directions;
    /// <summary>0 in every real run; 3: the blocks lose their δ·Ra term (a planted bug for the tests).</summary>
    public int PlantedBug;
}

/// <summary>
/// The full Hessian by the network's structure, as the CPU engine computes it (<see cref="DenseNetwork.Hessian"/>), for
/// plain networks with a squared loss. A direction W_k[i, j] enters only through Rz_k = a_{k−1}[j] e_i, and everything
/// above layer k is linear in Rz_k, so its R-quantities are those of the bias direction b_k[i] scaled by a_{k−1}[j].
/// <see cref="UnitPass"/>: one thread per (unit (k, i), sample t), the R pass of b_k[i] from layer k up and back down
/// to k. <see cref="Block"/>: one thread per Hessian entry in the unit's rows and the columns of layers k' ≥ k,
///   H[(k, i, j), (k', r, c)] = Σ_t ā_{k−1}[t, j] (Rδz_{k'}[t, r] ā_{k'−1}[t, c] + δz_{k'}[t, r] Ra_{k'−1}[t, c]),
/// ā the activations with a 1 for the bias (whose Ra is 0), the second term only for k' &gt; k (below layer k the
/// direction is 0). Columns of layers k' &lt; k are left to the host, which mirrors them (H is symmetric).
/// </summary>
public static class HessianKernels
{
    private const int RZ = 0, RA = 1, RDZ = 2, RRegions = 3;

    public static void UnitPass<T, TOps>(Index1D index, HessianArgs<T> g, TOps ops) where T : unmanaged where TOps : struct, IReal<T>
    {
        int unit = index / g.Samples, t = index % g.Samples;
        int layer = g.UnitLayer[unit], i = g.UnitIndex[unit];
        var shape = g.Shape;
        int h = shape[0];
        int units = shape[1 + (h + 1) + 3 * h + (h + 1)];
        long point = (long)t * Regions * units, r = (long)(int)index * RRegions * units;
        T zero = ops.Of(0);
        for (int k = layer; k <= h; k++)
        {
            int width = Width(shape, k), fanIn = Width(shape, k - 1), w = WeightOffset(shape, h, k);
            int below = UnitOffset(shape, h, k - 1), here = UnitOffset(shape, h, k);
            for (int u = 0; u < width; u++)
            {
                T rz = zero;
                if (k == layer) rz = u == i ? ops.Of(1) : zero; // Rz_k = e_i
                else
                    for (int j = 0; j < fanIn; j++) rz = ops.Add(rz, ops.Mul(g.Theta[w + u * fanIn + j], g.R[r + RA * units + below + j]));
                Activate(ops, shape[ActivationIndex(h, k)], g.ActivationParameter[k], g.Point[point + Z * units + here + u], out _, out T d1, out _);
                g.R[r + RZ * units + here + u] = rz;
                g.R[r + RA * units + here + u] = ops.Mul(d1, rz);
            }
        }
        for (int k = h; k >= layer; k--)
        {
            int width = Width(shape, k), here = UnitOffset(shape, h, k);
            for (int u = 0; u < width; u++)
            {
                // Rδa_k: 2c Ra_H at the output (the loss head), else W_{k+1}ᵀ Rδz_{k+1} (the direction has no weights above k).
                T rda = zero;
                if (k == h) rda = ops.Mul(g.TwoC, g.R[r + RA * units + here + u]);
                else
                {
                    int above = UnitOffset(shape, h, k + 1), w = WeightOffset(shape, h, k + 1);
                    for (int v = 0; v < Width(shape, k + 1); v++)
                        rda = ops.Add(rda, ops.Mul(g.Theta[w + v * width + u], g.R[r + RDZ * units + above + v]));
                }
                Activate(ops, shape[ActivationIndex(h, k)], g.ActivationParameter[k], g.Point[point + Z * units + here + u], out _, out T d1, out T d2);
                T rdz = ops.Add(ops.Mul(ops.Mul(d2, g.R[r + RZ * units + here + u]), g.Point[point + DA * units + here + u]), ops.Mul(d1, rda));
                g.R[r + RDZ * units + here + u] = rdz;
            }
        }
    }

    public static void Block<T, TOps>(Index1D index, HessianArgs<T> g, TOps ops) where T : unmanaged where TOps : struct, IReal<T>
    {
        int p = g.ParameterCount;
        int column = (int)(index % p);
        int rest = (int)(index / p), j = rest % g.Directions, unit = rest / g.Directions;
        int layer = g.UnitLayer[unit], i = g.UnitIndex[unit];
        var shape = g.Shape;
        int h = shape[0];
        int units = shape[1 + (h + 1) + 3 * h + (h + 1)];
        int fanIn = Width(shape, layer - 1), bias = BiasOffset(shape, h, layer);
        if (j > fanIn || (j == fanIn && bias < 0)) return; // this unit has fewer rows
        // The column's layer k' (parameters are W_1, b_1, W_2, b_2, … in order) and its (r, c); c = n_{k'−1} is the bias.
        int k = h;
        while (k > 1 && column < WeightOffset(shape, h, k)) k--;
        if (k < layer) return;
        int columnFanIn = Width(shape, k - 1), w = WeightOffset(shape, h, k), b = BiasOffset(shape, h, k);
        bool isBias = b >= 0 && column >= b;
        int unitOut = isBias ? column - b : (column - w) / columnFanIn, c = isBias ? columnFanIn : (column - w) % columnFanIn;
        int below = UnitOffset(shape, h, layer - 1), kBelow = UnitOffset(shape, h, k - 1), kHere = UnitOffset(shape, h, k);
        T sum = ops.Of(0);
        for (int t = 0; t < g.Samples; t++)
        {
            long point = (long)t * Regions * units, r = ((long)unit * g.Samples + t) * RRegions * units;
            T direction = j < fanIn ? g.Point[point + A * units + below + j] : ops.Of(1);
            T x = g.R[r + RDZ * units + kHere + unitOut];
            if (!isBias) x = ops.Mul(x, g.Point[point + A * units + kBelow + c]);
            if (!isBias && k > layer && g.PlantedBug != 3)
                x = ops.Add(x, ops.Mul(g.Point[point + DZ * units + kHere + unitOut], g.R[r + RA * units + kBelow + c]));
            sum = ops.Add(sum, ops.Mul(direction, x));
        }
        g.Rows[index] = sum;
    }
}
