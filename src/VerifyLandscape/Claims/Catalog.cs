using VerifyLandscape.Claims.Cooper;
using VerifyLandscape.Claims.Milne;
using VerifyLandscape.Claims.Numeric;

namespace VerifyLandscape.Claims;

/// <summary>Every claim the toolkit checks, by id.</summary>
public static class Catalog
{
    public static readonly IReadOnlyList<Claim> All =
    [
        new StarLocusIsCritical(),
        new StarLocusWithoutSigmaZero(),
        new CoreLocusIsDegenerate(),
        new CoreLocusWithoutSigmaZero(),
        new CoreLocusLiteral(),
        new ZeroEigenvalueBound(),
        new LocusDimension(),
        new GlobalMinimumManifold(),
        new FibreQuadratic(),
        new MilneLemma2(),
        new MilneIdentity19(),
        new MilneLemma3(),
        new MilneTheorem3(),
        new MilneLemma7(),
        new NumericCoreLocus(),
        new NumericZeroEigenvalues(),
        new NumericPiecewiseConvexity(),
    ];

    public static Claim? Find(string id) => All.FirstOrDefault(c => c.Id == id);
}
