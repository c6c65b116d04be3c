using ILGPU;

namespace VerifyLandscape.Numerics.Gpu;

/// <summary>
/// What a sample thread reads and writes. Shape (ints): H, then widths n_0..n_H, weight offsets of layers 1..H,
/// bias offsets (−1: none), activation codes (0 identity, 1 leaky relu with slope α, 2 tanh, 3 sigmoid, 4 softplus
/// with β), unit offsets of layers 0..H (Σ_{j&lt;k} n_j), then U = Σ n_k. Parameters: α or β per layer.
/// </summary>
public struct SampleArgs<T> where T : unmanaged
{
    public ArrayView<T> Theta, Direction, X, Y, Scratch, GradientOut, HvOut, LossOut;
    public ArrayView<int> Shape;
    public ArrayView<double> ActivationParameter;
    /// <summary>2c for the squared loss c Σ (f − y)².</summary>
    public T TwoC;
    public int ParameterCount, WithHv;
    /// <summary>0 in every real run; tests plant a bug (1: the last layer's bias gradient dropped, 2: H v loses its δ·Rа term).</summary>
    public int PlantedBug;
}

/// <summary>
/// One thread per sample: the forward pass, the R-forward pass (Pearlmutter), the backward pass and the R-backward pass
/// of that sample, writing its gradient and H v contributions to row i of N × P buffers, which
/// <see cref="SumOverSamples"/> adds in a fixed order (so results do not depend on thread scheduling).
///   z_k = W_k a_{k−1} + b_k, a_k = σ(z_k);  Rz_k = V_k a_{k−1} + W_k Ra_{k−1} + Vb_k, Ra_k = σ'(z_k) Rz_k;
///   δa_H = 2c(a_H − y), Rδa_H = 2c Ra_H;  δz_k = σ'(z_k) δa_k, Rδz_k = σ''(z_k) Rz_k δa_k + σ'(z_k) Rδa_k;
///   ∂W_k = δz_k a_{k−1}ᵀ, R∂W_k = Rδz_k a_{k−1}ᵀ + δz_k Ra_{k−1}ᵀ;  δa_{k−1} = W_kᵀ δz_k, Rδa_{k−1} = V_kᵀ δz_k + W_kᵀ Rδz_k.
/// </summary>
public static class SampleKernels
{
    // The regions of a sample's scratch (each U values); after any run, Z, A, DA and DZ hold the point's own pass.
    internal const int Z = 0, A = 1, RZ = 2, RA = 3, DA = 4, DZ = 5, RDA = 6, RDZ = 7, Regions = 8;

    public static void Sample<T, TOps>(Index1D index, SampleArgs<T> g, TOps ops) where T : unmanaged where TOps : struct, IReal<T>
    {
        int i = index;
        var shape = g.Shape;
        int h = shape[0];
        int units = shape[1 + (h + 1) + 3 * h + (h + 1)];
        long baseOffset = (long)i * Regions * units;
        var s = g.Scratch;
        T zero = ops.Of(0);
        int n0 = shape[1];
        for (int j = 0; j < n0; j++)
        {
            s[baseOffset + A * units + j] = g.X[(long)i * n0 + j];
            s[baseOffset + RA * units + j] = zero;
        }
        for (int k = 1; k <= h; k++)
        {
            int width = Width(shape, k), fanIn = Width(shape, k - 1), w = WeightOffset(shape, h, k), b = BiasOffset(shape, h, k);
            int below = UnitOffset(shape, h, k - 1), here = UnitOffset(shape, h, k);
            for (int u = 0; u < width; u++)
            {
                T z = b >= 0 ? g.Theta[b + u] : zero;
                T rz = b >= 0 && g.WithHv != 0 ? g.Direction[b + u] : zero;
                for (int j = 0; j < fanIn; j++)
                {
                    T a = s[baseOffset + A * units + below + j];
                    z = ops.Add(z, ops.Mul(g.Theta[w + u * fanIn + j], a));
                    if (g.WithHv != 0)
                        rz = ops.Add(rz, ops.Add(ops.Mul(g.Direction[w + u * fanIn + j], a), ops.Mul(g.Theta[w + u * fanIn + j], s[baseOffset + RA * units + below + j])));
                }
                Activate(ops, shape[ActivationIndex(h, k)], g.ActivationParameter[k], z, out T value, out T d1, out _);
                s[baseOffset + Z * units + here + u] = z;
                s[baseOffset + A * units + here + u] = value;
                s[baseOffset + RZ * units + here + u] = rz;
                s[baseOffset + RA * units + here + u] = ops.Mul(d1, rz);
            }
        }
        // The loss head: c Σ_o (a_H − y)², δa_H = 2c(a_H − y), Rδa_H = 2c Ra_H.
        int m = Width(shape, h), top = UnitOffset(shape, h, h);
        T loss = zero;
        for (int o = 0; o < m; o++)
        {
            T r = ops.Sub(s[baseOffset + A * units + top + o], g.Y[(long)i * m + o]);
            loss = ops.Add(loss, ops.Mul(r, r));
            s[baseOffset + DA * units + top + o] = ops.Mul(g.TwoC, r);
            s[baseOffset + RDA * units + top + o] = ops.Mul(g.TwoC, s[baseOffset + RA * units + top + o]);
        }
        g.LossOut[i] = loss; // Σ r², scaled by c on the host
        long row = (long)i * g.ParameterCount;
        for (int k = h; k >= 1; k--)
        {
            int width = Width(shape, k), fanIn = Width(shape, k - 1), w = WeightOffset(shape, h, k), b = BiasOffset(shape, h, k);
            int below = UnitOffset(shape, h, k - 1), here = UnitOffset(shape, h, k);
            for (int u = 0; u < width; u++)
            {
                Activate(ops, shape[ActivationIndex(h, k)], g.ActivationParameter[k], s[baseOffset + Z * units + here + u], out _, out T d1, out T d2);
                T da = s[baseOffset + DA * units + here + u];
                T dz = ops.Mul(d1, da);
                T rdz = ops.Add(ops.Mul(ops.Mul(d2, s[baseOffset + RZ * units + here + u]), da), ops.Mul(d1, s[baseOffset + RDA * units + here + u]));
                s[baseOffset + DZ * units + here + u] = dz;
                s[baseOffset + RDZ * units + here + u] = rdz;
                if (b >= 0)
                {
                    g.GradientOut[row + b + u] = g.PlantedBug == 1 && k == h ? zero : dz;
                    if (g.WithHv != 0) g.HvOut[row + b + u] = rdz;
                }
                for (int j = 0; j < fanIn; j++)
                {
                    T a = s[baseOffset + A * units + below + j];
                    g.GradientOut[row + w + u * fanIn + j] = ops.Mul(dz, a);
                    if (g.WithHv != 0)
                    {
                        T extra = g.PlantedBug == 2 ? zero : ops.Mul(dz, s[baseOffset + RA * units + below + j]);
                        g.HvOut[row + w + u * fanIn + j] = ops.Add(ops.Mul(rdz, a), extra);
                    }
                }
            }
            if (k == 1) break;
            for (int j = 0; j < fanIn; j++)
            {
                T da = zero, rda = zero;
                for (int u = 0; u < width; u++)
                {
                    T dz = s[baseOffset + DZ * units + here + u];
                    da = ops.Add(da, ops.Mul(g.Theta[w + u * fanIn + j], dz));
                    if (g.WithHv != 0)
                        rda = ops.Add(rda, ops.Add(ops.Mul(g.Direction[w + u * fanIn + j], dz), ops.Mul(g.Theta[w + u * fanIn + j], s[baseOffset + RDZ * units + here + u])));
                }
                s[baseOffset + DA * units + below + j] = da;
                s[baseOffset + RDA * units + below + j] = rda;
            }
        }
    }

    /// <summary>total[p] = Σ_i perSample[i·P + p], i = 0..N−1 in order.</summary>
    public static void SumOverSamples<T, TOps>(Index1D index, ArrayView<T> perSample, ArrayView<T> total, int samples, int parameters, TOps ops)
        where T : unmanaged where TOps : struct, IReal<T>
    {
        int p = index;
        T sum = ops.Of(0);
        for (int i = 0; i < samples; i++) sum = ops.Add(sum, perSample[(long)i * parameters + p]);
        total[p] = sum;
    }

    /// <summary>σ, σ' and σ'' at z. A relu pre-activation exactly 0 takes the right-hand slope: the host refuses such points before (the CPU engine calls them non-smooth).</summary>
    internal static void Activate<T, TOps>(TOps ops, int code, double parameter, T z, out T value, out T d1, out T d2) where T : unmanaged where TOps : struct, IReal<T>
    {
        T one = ops.Of(1), zero = ops.Of(0);
        switch (code)
        {
            case 1:
                bool positive = ops.ToDouble(z) >= 0;
                d1 = positive ? one : ops.Of(parameter);
                value = ops.Mul(d1, z);
                d2 = zero;
                break;
            case 2:
                value = ops.Tanh(z);
                d1 = ops.Sub(one, ops.Mul(value, value));
                d2 = ops.Mul(ops.Of(-2), ops.Mul(value, d1));
                break;
            case 3:
                value = Logistic(ops, z);
                d1 = ops.Mul(value, ops.Sub(one, value));
                d2 = ops.Mul(d1, ops.Sub(one, ops.Mul(ops.Of(2), value)));
                break;
            case 4:
                T beta = ops.Of(parameter), bz = ops.Mul(beta, z);
                T logistic = Logistic(ops, bz);
                // log(1 + e^{βz})/β, written as max(βz, 0) + log(1 + e^{−|βz|}) so that it does not overflow
                T absBz = ops.ToDouble(bz) >= 0 ? bz : ops.Sub(zero, bz);
                T positivePart = ops.ToDouble(bz) >= 0 ? bz : zero;
                value = ops.Mul(ops.Add(positivePart, ops.Log(ops.Add(one, ops.Exp(ops.Sub(zero, absBz))))), ops.Of(1 / parameter));
                d1 = logistic;
                d2 = ops.Mul(beta, ops.Mul(logistic, ops.Sub(one, logistic)));
                break;
            default:
                value = z;
                d1 = one;
                d2 = zero;
                break;
        }
    }

    /// <summary>1/(1 + e^{−z}), evaluated without overflow on either side.</summary>
    private static T Logistic<T, TOps>(TOps ops, T z) where T : unmanaged where TOps : struct, IReal<T>
    {
        T one = ops.Of(1);
        if (ops.ToDouble(z) >= 0) return ops.Div(one, ops.Add(one, ops.Exp(ops.Sub(ops.Of(0), z))));
        T e = ops.Exp(z);
        return ops.Div(e, ops.Add(one, e));
    }

    internal static int Width(ArrayView<int> shape, int k) => shape[1 + k];
    internal static int WeightOffset(ArrayView<int> shape, int h, int k) => shape[1 + (h + 1) + (k - 1)];
    internal static int BiasOffset(ArrayView<int> shape, int h, int k) => shape[1 + (h + 1) + h + (k - 1)];
    internal static int ActivationIndex(int h, int k) => 1 + (h + 1) + 2 * h + (k - 1);
    internal static int UnitOffset(ArrayView<int> shape, int h, int k) => shape[1 + (h + 1) + 3 * h + k];
}
