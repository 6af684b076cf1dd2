using System.Diagnostics;
using System.Text;

namespace StaticGrad.Package.Tests;

/// <summary>Runs the dotnet CLI as a new user would, and captures what it printed.</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Output)
    {
        public Result EnsureSuccess(string what)
        {
            if (ExitCode != 0)
            {
                throw new Xunit.Sdk.XunitException($"{what} failed with exit code {ExitCode}:\n{Output}");
            }

            return this;
        }
    }

    public static Result Dotnet(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under `dotnet test`, whose MSBuild settings would leak into the child build and make it
        // behave unlike a user's; a clean environment is the point of this test.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(" ", arguments)} did not finish in 8 minutes:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return new Result(process.ExitCode, output.ToString());
        }
    }
}
