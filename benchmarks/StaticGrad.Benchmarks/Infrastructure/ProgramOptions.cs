namespace StaticGrad.Benchmarks.Infrastructure;

/// <summary>This program's own options; everything else is BenchmarkDotNet's.</summary>
public sealed record ProgramOptions(bool VerifyOnly, bool Short, string? DataDirectory, string[] BenchmarkArguments, string? Error)
{
    public const string Usage = "usage: StaticGrad.Benchmarks [--verify] [--short] [--data <adbench dir>] [BenchmarkDotNet options, e.g. --filter *Gmm*]";

    public static ProgramOptions Parse(string[] args)
    {
        bool verify = false, isShort = false;
        string? data = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--verify":
                    verify = true;
                    break;
                case "--short":
                    isShort = true;
                    break;
                case "--data" when i + 1 < args.Length:
                    data = args[++i];
                    break;
                case "--data":
                    return new ProgramOptions(verify, isShort, null, [], "--data needs a folder.");
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        return new ProgramOptions(verify, isShort, data, [.. rest], null);
    }
}
