using System.Runtime.InteropServices;

namespace VerifyLandscape.Numerics;

/// <summary>
/// Optional: LAPACK's dsyevd (eigenvalues only) from a system library, loaded at run time where one exists
/// (OpenBLAS, or Debian's liblapack.so.3). Without one, <see cref="Spectrum.Eigenvalues"/> uses MathNet's managed
/// solver. Set VL_NO_NATIVE_LAPACK=1 to force the managed path.
/// </summary>
public static unsafe class NativeLapack
{
    private static readonly Lazy<IntPtr> Symbol = new(Load);

    public static string? LibraryName { get; private set; }

    private static IntPtr Load()
    {
        if (Environment.GetEnvironmentVariable("VL_NO_NATIVE_LAPACK") == "1") return IntPtr.Zero;
        foreach (var name in new[] { "libopenblas.so.0", "liblapack.so.3", "liblapack.so" })
            if (NativeLibrary.TryLoad(name, out var lib) && NativeLibrary.TryGetExport(lib, "dsyevd_", out var f))
            {
                LibraryName = name;
                return f;
            }
        return IntPtr.Zero;
    }

    public static bool Available => Symbol.Value != IntPtr.Zero;

    /// <summary>Eigenvalues (ascending) of a symmetric n×n matrix, or false when no LAPACK library was found.</summary>
    public static bool TryEigenvalues(double[] symmetric, int n, out double[] values)
    {
        values = [];
        if (!Available) return false;
        var f = (delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, void>)Symbol.Value;
        var a = (double[])symmetric.Clone();
        var w = new double[n];
        byte jobz = (byte)'N', uplo = (byte)'L';
        int lda = Math.Max(1, n), info = 0, lwork = -1, liwork = -1;
        double workQuery = 0;
        int iworkQuery = 0;
        fixed (double* pa = a, pw = w)
        {
            f(&jobz, &uplo, &n, pa, &lda, pw, &workQuery, &lwork, &iworkQuery, &liwork, &info);
            if (info != 0) return false;
            lwork = (int)workQuery;
            liwork = Math.Max(1, iworkQuery);
            var work = new double[Math.Max(1, lwork)];
            var iwork = new int[liwork];
            fixed (double* pwork = work)
            fixed (int* piwork = iwork)
                f(&jobz, &uplo, &n, pa, &lda, pw, pwork, &lwork, piwork, &liwork, &info);
        }
        if (info != 0) return false;
        values = w;
        return true;
    }
}
