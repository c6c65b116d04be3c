using VerifyLandscape.Networks;

namespace VerifyLandscape.Reports;

/// <summary>
/// Output files, written whole or not at all (a temporary file in the same folder, then a rename), at paths validated
/// before any work: never a directory, a symbolic link, a device or another special file, never a folder we cannot
/// write to. A refused path is bad input (<see cref="InputException"/>, exit 2) naming the option.
/// </summary>
public static class OutputFiles
{
    /// <summary>The full path of an output file named by <paramref name="option"/>, or an error saying why it cannot be one.</summary>
    public static string ValidateFile(string path, string option)
    {
        var full = FileTarget(path, option);
        ValidateFolder(Path.GetDirectoryName(full)!, option);
        return full;
    }

    /// <summary>The full path, unless it is empty, under /dev, /proc or /sys, a directory or a symbolic link.</summary>
    private static string FileTarget(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw Refuse(option, "the output path is empty");
        var full = Path.GetFullPath(path);
        if (IsKernelPath(full)) throw Refuse(option, $"{path} is a device or a kernel file, not a file vl may write");
        if (Directory.Exists(full)) throw Refuse(option, $"{path} is a directory, not a file");
        if (new FileInfo(full).LinkTarget is not null) throw Refuse(option, $"{path} is a symbolic link (vl does not write through links; name the target)");
        return full;
    }

    /// <summary>A folder we can create files in (created if missing), or an error.</summary>
    public static string ValidateFolder(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw Refuse(option, "the output folder is empty");
        var full = Path.GetFullPath(path);
        if (File.Exists(full)) throw Refuse(option, $"{path} is a file, not a folder");
        try
        {
            Directory.CreateDirectory(full);
            // Permission bits do not say it all (root, read-only mounts): try.
            var probe = Path.Combine(full, $".vl-probe.{Environment.ProcessId}.tmp");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Refuse(option, $"cannot write in {path}: {e.Message}");
        }
        return full;
    }

    /// <summary>
    /// Writes the file whole or not at all. The target is checked again (it may have changed since the command
    /// validated it); the folder is created if missing, and a failed write is reported with the option and cleaned up.
    /// </summary>
    public static void WriteAtomically(string path, string content, string option = "output")
    {
        var full = FileTarget(path, option);
        var tmp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Environment.ProcessId + ".tmp");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(tmp, content);
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(tmp);
            throw Refuse(option, $"cannot write {path}: {e.Message}");
        }
    }

    // .NET does not report the file type on Unix; devices and kernel files live under /dev, /proc and /sys, which are
    // never outputs. (A named pipe elsewhere is not detected.)
    private static bool IsKernelPath(string full) =>
        full.StartsWith("/dev/", StringComparison.Ordinal) || full.StartsWith("/proc/", StringComparison.Ordinal) || full.StartsWith("/sys/", StringComparison.Ordinal);

    private static InputException Refuse(string option, string reason) => new("command line", option, reason);
}
