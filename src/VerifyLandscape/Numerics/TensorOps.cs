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

    /// <summary>A plane rotation of two vectors: (x, y) ← (c x + s y, −s x + c y).</summary>
    public static void Rotate(Span<double> x, Span<double> y, double c, double s)
    {
        int i = 0;
        var vc = new Vector<double>(c);
        var vs = new Vector<double>(s);
        for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            var u = new Vector<double>(x[i..]);
            var w = new Vector<double>(y[i..]);
            (vc * u + vs * w).CopyTo(x[i..]);
            (vc * w - vs * u).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++)
        {
            double u = x[i], w = y[i];
            x[i] = c * u + s * w;
            y[i] = -s * u + c * w;
        }
    }
}
