using ILGPU;

namespace VerifyLandscape.Numerics.Gpu;

/// <summary>
/// The vector steps of Lanczos on the device, so that the Krylov basis Q (steps × P, row j = q_j) never leaves it:
/// only α_k and β_k come back to the host. Every sum runs in a fixed order (results do not depend on scheduling).
/// </summary>
public static class VectorKernels
{
    /// <summary>Values per partial sum of <see cref="PartialDots"/>: enough threads for a device, short enough chains.</summary>
    public const int Chunk = 256;

    /// <summary>
    /// partial[j·chunks + b] = Σ_{i in chunk b} Q[j, i]·w[i] (Q row-major, n wide, chunks = ⌈n / Chunk⌉): one thread per
    /// (row, chunk), so a device has k·n/256 threads at work rather than k; <see cref="SumPartials"/> finishes c = Q w.
    /// </summary>
    public static void PartialDots<T, TOps>(Index1D index, ArrayView<T> q, ArrayView<T> w, ArrayView<T> partial, int n, TOps ops) where T : unmanaged where TOps : struct, IReal<T>
    {
        int chunks = (n + Chunk - 1) / Chunk, j = index / chunks, b = index % chunks;
        int end = Math.Min(n, (b + 1) * Chunk);
        long row = (long)j * n;
        T sum = ops.Of(0);
        for (int i = b * Chunk; i < end; i++) sum = ops.Add(sum, ops.Mul(q[row + i], w[i]));
        partial[index] = sum;
    }

    /// <summary>c[j] = Σ_b partial[j·chunks + b], b in order.</summary>
    public static void SumPartials<T, TOps>(Index1D j, ArrayView<T> partial, ArrayView<T> c, int chunks, TOps ops) where T : unmanaged where TOps : struct, IReal<T>
    {
        T sum = ops.Of(0);
        for (int b = 0; b < chunks; b++) sum = ops.Add(sum, partial[(long)(int)j * chunks + b]);
        c[j] = sum;
    }

    /// <summary>w[i] −= Σ_{j &lt; rows} c[j]·Q[j, i]: one pass of classical Gram–Schmidt against the first rows of Q.</summary>
    public static void SubtractProjections<T, TOps>(Index1D i, ArrayView<T> q, ArrayView<T> c, ArrayView<T> w, int rows, int n, TOps ops) where T : unmanaged where TOps : struct, IReal<T>
    {
        T sum = ops.Of(0);
        for (int j = 0; j < rows; j++) sum = ops.Add(sum, ops.Mul(c[j], q[(long)j * n + i]));
        w[i] = ops.Sub(w[i], sum);
    }

    /// <summary>y[i] = s·x[i].</summary>
    public static void Scale<T, TOps>(Index1D i, ArrayView<T> x, ArrayView<T> y, T s, TOps ops) where T : unmanaged where TOps : struct, IReal<T> =>
        y[i] = ops.Mul(s, x[i]);

    /// <summary>y[i] += s·mask[i]·x[i] (weight decay λ on the weights of H v; mask is 1 on weights, 0 on biases).</summary>
    public static void AddMasked<T, TOps>(Index1D i, ArrayView<T> x, ArrayView<T> mask, ArrayView<T> y, T s, TOps ops) where T : unmanaged where TOps : struct, IReal<T> =>
        y[i] = ops.Add(y[i], ops.Mul(s, ops.Mul(mask[i], x[i])));
}
