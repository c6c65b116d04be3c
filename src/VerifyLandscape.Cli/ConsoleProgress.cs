namespace VerifyLandscape.Cli;

/// <summary>
/// Progress on standard error for long runs, only when it is a terminal (so logs and pipes stay clean),
/// and only after the work has taken more than a second.
/// </summary>
public sealed class ConsoleProgress(string what, int total) : IProgress<int>, IDisposable
{
    private readonly DateTime _start = DateTime.UtcNow;
    private DateTime _last = DateTime.MinValue;
    private bool _shown;
    private readonly object _gate = new();

    public void Report(int done)
    {
        if (Console.IsErrorRedirected) return;
        var now = DateTime.UtcNow;
        lock (_gate)
        {
            if ((now - _start).TotalSeconds < 1 || (now - _last).TotalMilliseconds < 200) return;
            _last = now;
            _shown = true;
            Console.Error.Write($"\r{what}: {done}/{total} ({100.0 * done / Math.Max(1, total):F0}%), {(now - _start).TotalSeconds:F1} s   ");
        }
    }

    public void Dispose()
    {
        lock (_gate) { if (_shown) { Console.Error.Write("\r" + new string(' ', 60) + "\r"); _shown = false; } }
    }
}
