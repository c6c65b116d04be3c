using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Numerics;

/// <summary>An array read from a file: its values (as double, C order), its shape and the element type it was stored in.</summary>
public sealed record NumericArray(double[] Values, int[] Shape, string ElementType);

/// <summary>
/// NumPy's .npy format, versions 1–3: little- or big-endian float32/float64 ('&lt;f4', '&lt;f8', '&gt;f8', …),
/// C or Fortran order (Fortran arrays are returned in C order). Anything else is rejected with the reason.
/// </summary>
public static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static NumericArray Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException(path, "", "cannot read the file: " + e.Message); }
        return Parse(bytes, path);
    }

    public static NumericArray Parse(byte[] bytes, string file)
    {
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic)) throw new InputException(file, "", "not a .npy file (bad magic string)");
        int major = bytes[6];
        int headerLength, headerStart;
        switch (major)
        {
            case 1: headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)); headerStart = 10; break;
            case 2 or 3:
                if (bytes.Length < 12) throw new InputException(file, "", "truncated .npy header");
                headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)); headerStart = 12; break;
            default: throw new InputException(file, "", $"unsupported .npy version {major}");
        }
        if (headerStart + headerLength > bytes.Length) throw new InputException(file, "", "truncated .npy header");
        string header = Encoding.Latin1.GetString(bytes, headerStart, headerLength);
        var descr = DescrPattern().Match(header);
        var order = OrderPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !order.Success || !shape.Success) throw new InputException(file, "header", $"cannot read the header '{header.Trim()}'");
        string type = descr.Groups[1].Value;
        bool fortran = order.Groups[1].Value == "True";
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.TryParse(d, out int v) && v >= 0 ? v : throw new InputException(file, "shape", $"bad dimension '{d}'")).ToArray();
        int size = dims.Aggregate(1, (a, b) => checked(a * b));
        int itemSize = type[1..] switch { "f8" => 8, "f4" => 4, _ => throw new InputException(file, "descr", $"element type '{type}' is not float32 or float64") };
        bool bigEndian = type[0] == '>';
        if (type[0] is not ('<' or '>' or '=')) throw new InputException(file, "descr", $"element type '{type}' has no byte order");
        int dataStart = headerStart + headerLength;
        if (bytes.Length - dataStart != (long)size * itemSize)
            throw new InputException(file, "data", $"shape ({string.Join(", ", dims)}) needs {(long)size * itemSize} bytes of data, the file has {bytes.Length - dataStart}");
        var values = new double[size];
        var data = bytes.AsSpan(dataStart);
        for (int i = 0; i < size; i++)
        {
            var chunk = data.Slice(i * itemSize, itemSize);
            values[i] = itemSize == 8
                ? BitConverter.Int64BitsToDouble(bigEndian ? BinaryPrimitives.ReadInt64BigEndian(chunk) : BinaryPrimitives.ReadInt64LittleEndian(chunk))
                : BitConverter.Int32BitsToSingle(bigEndian ? BinaryPrimitives.ReadInt32BigEndian(chunk) : BinaryPrimitives.ReadInt32LittleEndian(chunk));
        }
        if (fortran && dims.Length >= 2) values = FortranToC(values, dims);
        return new NumericArray(values, dims, itemSize == 8 ? "float64" : "float32");
    }

    private static double[] FortranToC(double[] values, int[] dims)
    {
        var result = new double[values.Length];
        var index = new int[dims.Length];
        for (int f = 0; f < values.Length; f++)
        {
            // f enumerates indices with the first one fastest; write to the C-order position.
            int c = 0;
            for (int d = 0; d < dims.Length; d++) c = c * dims[d] + index[d];
            result[c] = values[f];
            for (int d = 0; d < dims.Length && ++index[d] == dims[d]; d++) index[d] = 0;
        }
        return result;
    }

    /// <summary>Writes a little-endian float64 (or float32) array in C order, version 1.0.</summary>
    public static byte[] Format(double[] values, int[] shape, bool float32 = false)
    {
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string header = $"{{'descr': '{(float32 ? "<f4" : "<f8")}', 'fortran_order': False, 'shape': ({dims}), }}";
        int total = 10 + header.Length + 1;
        header += new string(' ', (64 - total % 64) % 64) + "\n";
        using var ms = new MemoryStream();
        ms.Write(Magic);
        ms.WriteByte(1); ms.WriteByte(0);
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)header.Length);
        ms.Write(len);
        ms.Write(Encoding.Latin1.GetBytes(header));
        Span<byte> item = stackalloc byte[8];
        foreach (var v in values)
        {
            if (float32) { BinaryPrimitives.WriteSingleLittleEndian(item, (float)v); ms.Write(item[..4]); }
            else { BinaryPrimitives.WriteDoubleLittleEndian(item, v); ms.Write(item); }
        }
        return ms.ToArray();
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([<>=|][a-z]\d+)'")] private static partial Regex DescrPattern();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")] private static partial Regex OrderPattern();
    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")] private static partial Regex ShapePattern();
}
