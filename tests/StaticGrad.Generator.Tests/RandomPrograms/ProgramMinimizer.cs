namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Delta debugging over the statements of a failing method's source (one statement or block header per line, as
/// <see cref="ProgramWriter"/> writes them): removes statements and whole blocks, and unwraps blocks into their
/// bodies, largest first, keeping each change under which the failure persists, until no single change keeps it
/// (1-minimal). Candidates that no longer compile simply do not fail, so the oracle alone decides what is valid.
/// </summary>
public static class ProgramMinimizer
{
    /// <summary>The smallest source found within <paramref name="maxTests"/> oracle calls.</summary>
    public static string Minimize(string source, Func<string, bool> fails, int maxTests = 300) =>
        Minimize(source, fails, maxTests, Timeout.InfiniteTimeSpan, out _);

    /// <summary>
    /// The smallest source found within <paramref name="maxTests"/> oracle calls and <paramref name="budget"/> of
    /// time (<paramref name="stopped"/> when the time ran out first): each call compiles a program, which under load
    /// can take seconds, and a failing batch must still report (batch 20262323 looked hung for five minutes here).
    /// </summary>
    public static string Minimize(string source, Func<string, bool> fails, int maxTests, TimeSpan budget, out bool stopped)
    {
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

                if (++tests > maxTests)
                {
                    break;
                }

                if (budget != Timeout.InfiniteTimeSpan && clock.Elapsed > budget)
                {
                    stopped = true;
                    break;
                }

                if (fails(text))
                {
                    lines = candidate;
                    progress = true;
                    break;
                }
            }
        }

        return string.Join("\n", lines) + "\n";
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
