namespace StaticGrad;

/// <summary>
/// The arithmetic of binomial checkpointing (Griewank and Walther, "Algorithm 799: Revolve", ACM TOMS 26(1), 2000).
/// Holding at most <c>c</c> states and advancing no step more than <c>t</c> times, a sweep can reverse at most
/// <c>β(c, t) = C(c + t, c)</c> steps: splitting <c>l</c> steps at <c>m</c> costs one advance of the first <c>m</c>
/// steps, after which they are reversed again with <c>c</c> states and <c>t − 1</c> repetitions, while the last
/// <c>l − m</c> are reversed with <c>c − 1</c> states (the split state is held) and <c>t</c> repetitions; and
/// <c>β(c, t) = β(c, t − 1) + β(c − 1, t)</c> is Pascal's rule.
/// </summary>
internal static class RevolveSchedule
{
    /// <summary><c>C(c + t, c)</c>, saturated at <see cref="long.MaxValue"/>.</summary>
    public static long Beta(int states, int repetitions)
    {
        // C(n, k) with k = min(c, t), built up through the exact binomials C(n − k + i, i); the product is formed in
        // 128 bits, so it is exact until the value itself leaves the range of a long.
        int k = Math.Min(states, repetitions);
        int n = states + repetitions;
        Int128 value = 1;
        for (int i = 1; i <= k; i++)
        {
            value = value * (n - k + i) / i;
            if (value > long.MaxValue)
            {
                return long.MaxValue;
            }
        }

        return (long)value;
    }

    /// <summary>The least number of repetitions with which <paramref name="states"/> held states reverse <paramref name="steps"/> steps.</summary>
    public static int Repetitions(long steps, int states)
    {
        int t = 0;
        while (Beta(states, t) < steps)
        {
            t++;
        }

        return t;
    }

    /// <summary>
    /// Where to split <paramref name="steps"/> (≥ 2) steps when <paramref name="states"/> (≥ 2) states may be held:
    /// the first part must be reversible with <c>t − 1</c> repetitions and all states, the rest with <c>t</c>
    /// repetitions and one state fewer; taking the rest as long as allowed keeps the early (cheap to hold) part short.
    /// </summary>
    public static int Split(int steps, int states)
    {
        int t = Repetitions(steps, states);
        long rest = Beta(states - 1, t);
        long first = steps - Math.Min(rest, steps - 1L);
        return (int)Math.Max(1L, first);
    }
}
