using System.Numerics;

namespace VerifyLandscape.Numerics;

/// <summary>Vectorised element-wise loops (System.Numerics.Vector: AVX2 where present).</summary>
public static class TensorOps
{
    /// <summary>dst = c·x.</summary>
    public static void Scale(ReadOnlySpan<double> x, double c, Span<double> dst)
    {
        int i = 0;
        var vc = new Vector<double>(c);
        for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
            (vc * new Vector<double>(x[i..])).CopyTo(dst[i..]);
        for (; i < x.Length; i++) dst[i] = c * x[i];
    }

    /// <summary>dst += c·x.</summary>
    public static void AddScaled(ReadOnlySpan<double> x, double c, Span<double> dst)
    {
        int i = 0;
        var vc = new Vector<double>(c);
        for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
            (new Vector<double>(dst[i..]) + vc * new Vector<double>(x[i..])).CopyTo(dst[i..]);
        for (; i < x.Length; i++) dst[i] += c * x[i];
    }
}
