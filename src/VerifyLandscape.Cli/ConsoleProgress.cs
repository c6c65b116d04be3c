namespace VerifyLandscape.Cli;

/// <summary>
/// Progress of a long run on standard error, once it has taken more than a second: a bar redrawn in place when
/// standard error is a terminal, otherwise (CI logs, pipes) a plain line every 10 seconds. Nothing under --quiet.
/// No colour, so NO_COLOR and dumb terminals need nothing special.
/// </summary>
public sealed class ConsoleProgress(string what, int total) : IProgress<int>, IDisposable
{
    private readonly DateTime _start = DateTime.UtcNow;
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private DateTime _last = DateTime.MinValue;
    private bool _shown;
    private readonly object _gate = new();

    public void Report(int done)
    {
        if (VlCommand.Quiet) return;
        var now = DateTime.UtcNow;
        lock (_gate)
        {
            double elapsed = (now - _start).TotalSeconds;
            if (elapsed < 1 || (now - _last).TotalMilliseconds < (_terminal ? 200 : 10_000)) return;
            _last = now;
            double fraction = Math.Clamp((double)done / Math.Max(1, total), 0, 1);
            if (_terminal)
            {
                int filled = (int)(20 * fraction);
                Console.Error.Write($"\r{what} [{new string('#', filled)}{new string('.', 20 - filled)}] {done}/{total} ({100 * fraction:F0}%), {elapsed:F1} s   ");
                _shown = true;
            }
            else Console.Error.WriteLine($"{what}: {done}/{total} ({100 * fraction:F0}%), {elapsed:F0} s");
        }
    }

    public void Dispose()
    {
        lock (_gate) { if (_shown) { Console.Error.Write("\r" + new string(' ', 80) + "\r"); _shown = false; } }
    }
}
