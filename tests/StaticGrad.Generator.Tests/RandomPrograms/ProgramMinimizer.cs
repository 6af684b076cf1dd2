namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Delta debugging over the statements of a failing method's source (one statement or block header per line, as
/// <see cref="ProgramWriter"/> writes them): removes statements and whole blocks, and unwraps blocks into their
/// bodies, largest first, keeping each change under which the failure persists, until no single change keeps it
/// (1-minimal). Candidates that no longer compile simply do not fail, so the oracle alone decides what is valid,
/// except candidates whose recursion lost its bound (<see cref="UnboundedRecursion"/>), which are never run.
/// </summary>
public static class ProgramMinimizer
{
    /// <summary>
    /// Time one candidate may run: a cut can leave a program that never ends (a <c>while</c> loop without its counter's
    /// <c>k9++</c>: batch 20261126's P101 hung the whole run here), and the oracle runs it without a limit of its own.
    /// A candidate still running after this does not reproduce the failure.
    /// </summary>
    public static readonly TimeSpan CandidateLimit = TimeSpan.FromSeconds(20);

    /// <summary>The smallest source found within <paramref name="maxTests"/> oracle calls.</summary>
    public static string Minimize(string source, Func<string, bool> fails, int maxTests = 300) =>
        Minimize(source, fails, maxTests, Timeout.InfiniteTimeSpan, out _);

    /// <summary>
    /// The smallest source found within <paramref name="maxTests"/> oracle calls and <paramref name="budget"/> of
    /// time (<paramref name="stopped"/> when the time ran out first): each call compiles a program, which under load
    /// can take seconds, and a failing batch must still report (batch 20262323 looked hung for five minutes here). Each
    /// candidate runs within <paramref name="candidateLimit"/> (default <see cref="CandidateLimit"/>) and the time left.
    /// </summary>
    public static string Minimize(string source, Func<string, bool> fails, int maxTests, TimeSpan budget, out bool stopped, TimeSpan? candidateLimit = null)
    {
        var limit = candidateLimit ?? CandidateLimit;
        var lines = source.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n').Split('\n').ToList();
        var tested = new HashSet<string>(StringComparer.Ordinal);
        var tests = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        stopped = false;
        for (var progress = true; progress && tests < maxTests && !stopped;)
        {
            progress = false;
            foreach (var candidate in Candidates(lines).OrderByDescending(c => lines.Count - c.Count))
            {
                var text = string.Join("\n", candidate);
                if (!tested.Add(text))
                {
                    continue;
                }

                if (UnboundedRecursion.Risked(source, text))
                {
                    // A recursive local function lost its bound: running it would overflow the stack and end the
                    // whole test run, so it does not reproduce.
                    continue;
                }

                if (++tests > maxTests)
                {
                    break;
                }

                if (budget != Timeout.InfiniteTimeSpan && clock.Elapsed > budget)
                {
                    stopped = true;
                    break;
                }

                var left = budget == Timeout.InfiniteTimeSpan ? limit : budget - clock.Elapsed;
                if (FailsWithin(fails, text, left < limit ? left : limit))
                {
                    lines = candidate;
                    progress = true;
                    break;
                }
            }
        }

        return string.Join("\n", lines) + "\n";
    }

    /// <summary>
    /// Whether the candidate fails, decided on a thread of its own within <paramref name="limit"/>: a candidate still
    /// running then does not reproduce (false). .NET cannot stop a thread, so a hung candidate's thread is left behind
    /// as a background thread, which ends with the process: the minimiser runs only for a run that already failed, and
    /// the text it writes is what the run reports. An exception of the oracle is rethrown here.
    /// </summary>
    internal static bool FailsWithin(Func<string, bool> fails, string candidate, TimeSpan limit)
    {
        var outcome = false;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? error = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    outcome = fails(candidate);
                }
                catch (Exception e)
                {
                    error = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                }
            })
        {
            IsBackground = true,
            Name = "Minimiser candidate",
        };
        thread.Start();
        if (!thread.Join(limit > TimeSpan.Zero ? limit : TimeSpan.Zero))
        {
            return false;
        }

        error?.Throw();
        return outcome;
    }

    /// <summary>Every single change: each unit removed, each block unit unwrapped.</summary>
    private static IEnumerable<List<string>> Candidates(List<string> lines)
    {
        foreach (var unit in Units(lines))
        {
            yield return lines.Where((_, i) => i < unit.First || i > unit.Last).ToList();
            if (unit.Body is { } body)
            {
                yield return lines.Where((_, i) => i < unit.First || i > unit.Last || (i >= body.First && i <= body.Last)).ToList();
            }
        }
    }

    /// <summary>
    /// The removable units inside the method body: a statement line, or a header with its braced block (with its
    /// else block, or the <c>while (…);</c> that ends a do loop). Attribute, signature and the method's braces are not.
    /// </summary>
    internal static List<(int First, int Last, (int First, int Last)? Body)> Units(IReadOnlyList<string> lines)
    {
        var units = new List<(int, int, (int, int)?)>();
        var open = IndexOf(lines, 0, l => l == "{");
        if (open < 0)
        {
            return units;
        }

        var close = Matching(lines, open);
        for (var i = open + 1; i < close; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line is "{" or "}" || line.EndsWith(':'))
            {
                continue;
            }

            if (i + 1 < close && lines[i + 1].Trim() == "{")
            {
                var end = Matching(lines, i + 1);
                var last = end;
                if (end + 1 < close && lines[end + 1].Trim() == "else" && lines[end + 2].Trim() == "{")
                {
                    last = Matching(lines, end + 2);
                }
                else if (line == "do" && end + 1 < close && lines[end + 1].Trim().StartsWith("while (", StringComparison.Ordinal))
                {
                    last = end + 1;
                }

                units.Add((i, last, last == end && line != "do" && !line.StartsWith("switch", StringComparison.Ordinal) ? (i + 2, end - 1) : null));
                continue;
            }

            if (line.EndsWith(';') && !(line.StartsWith("while (", StringComparison.Ordinal) && lines[i - 1].Trim() == "}"))
            {
                units.Add((i, i, null));
            }
        }

        return units;
    }

    private static int IndexOf(IReadOnlyList<string> lines, int from, Func<string, bool> match)
    {
        for (var i = from; i < lines.Count; i++)
        {
            if (match(lines[i].Trim()))
            {
                return i;
            }
        }

        return -1;
    }

    private static int Matching(IReadOnlyList<string> lines, int open)
    {
        var depth = 0;
        for (var i = open; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            depth += line == "{" ? 1 : line == "}" ? -1 : 0;
            if (depth == 0)
            {
                return i;
            }
        }

        return lines.Count - 1;
    }
}
