namespace VerifyLandscape.Intervals;

/// <summary>
/// Gaussian elimination on an interval matrix that proves minors non-singular: column by column, the pivot is the
/// unused row whose entry is farthest from 0 (by its smaller magnitude bound) among those whose enclosure excludes 0;
/// a column without such an entry is skipped. Every updated entry encloses the true Schur complement entry, so the
/// chosen rows and the pivot columns form a minor that is non-singular for every matrix inside the enclosures.
/// </summary>
public static class IntervalElimination
{
    /// <summary>For each column, the row of its pivot, or −1 when the column was skipped.</summary>
    public static int[] PivotRows(Interval[,] matrix)
    {
        int rows = matrix.GetLength(0), cols = matrix.GetLength(1);
        var m = (Interval[,])matrix.Clone();
        var used = new bool[rows];
        var pivots = new int[cols];
        for (int c = 0; c < cols; c++)
        {
            int best = -1;
            double bestMagnitude = 0;
            for (int r = 0; r < rows; r++)
            {
                if (used[r] || m[r, c].ContainsZero) continue;
                double magnitude = Math.Min(Math.Abs(m[r, c].Lo), Math.Abs(m[r, c].Hi));
                if (magnitude > bestMagnitude) (best, bestMagnitude) = (r, magnitude);
            }
            pivots[c] = best;
            if (best < 0) continue;
            used[best] = true;
            var inverse = m[best, c].Reciprocal();
            for (int r = 0; r < rows; r++)
            {
                if (used[r]) continue;
                var f = m[r, c] * inverse;
                for (int j = c; j < cols; j++) m[r, j] -= f * m[best, j];
            }
        }
        return pivots;
    }

    /// <summary>A rigorous lower bound on the rank of every matrix inside the enclosures: the number of pivots.</summary>
    public static int RankLowerBound(Interval[,] matrix) => PivotRows(matrix).Count(r => r >= 0);
}
