namespace VerifyLandscape.Budgets;

/// <summary>Exact or rigorous work ran out of its budget: the verdict is "inconclusive (budget: …)", never a hang.</summary>
public sealed class BudgetExceededException(string which, string detail) : Exception($"budget: {which}: {detail}")
{
    /// <summary>"terms" (size of a polynomial product) or "time" (wall clock).</summary>
    public string Which { get; } = which;
}

/// <summary>
/// The size and time budget of one exact or rigorous computation (one instance of a claim). It is entered with
/// <see cref="Enter"/> around the work and flows with the execution context (into Parallel.For too); the exact ring
/// and the branch-and-bound loops call <see cref="Check"/>. Outside an entered budget nothing is limited.
/// </summary>
public sealed record Budget(long MaxTerms, TimeSpan Time)
{
    /// <summary>Defaults for `vl check` and `vl certify`: far above what any shipped or generated instance needs.</summary>
    public static readonly Budget Default = new(2_000_000, TimeSpan.FromSeconds(60));

    private sealed record Active(Budget Budget, long Deadline);
    private static readonly AsyncLocal<Active?> Current = new();

    public override string ToString() => $"{MaxTerms} terms, {Time.TotalSeconds:0.###} s";

    /// <summary>Runs under this budget until the returned scope is disposed.</summary>
    public IDisposable Enter()
    {
        var previous = Current.Value;
        Current.Value = new Active(this, Environment.TickCount64 + (long)Time.TotalMilliseconds);
        return new Scope(previous);
    }

    private sealed class Scope(Active? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }

    /// <summary>Throws <see cref="BudgetExceededException"/> when the time is up or a result would have more than the allowed terms.</summary>
    public static void Check(long terms = 0)
    {
        if (Current.Value is not { } active) return;
        if (terms > active.Budget.MaxTerms)
            throw new BudgetExceededException("terms", $"a polynomial product of {terms} terms exceeds {active.Budget.MaxTerms} (--budget-terms)");
        if (Environment.TickCount64 > active.Deadline)
            throw new BudgetExceededException("time", $"more than {active.Budget.Time.TotalSeconds:0.###} s on one instance (--budget-time)");
    }
}
