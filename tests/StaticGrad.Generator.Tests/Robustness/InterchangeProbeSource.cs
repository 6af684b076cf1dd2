namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// The members the embedded <c>Probe</c> classes of <see cref="Session20LoopInterchangeTests"/> and
/// <see cref="Session21InterchangeSpansTests"/> share (their sources concatenate this text inside the class): random
/// values, an adjoint span one element short of its array (which fails the interchange's guard), and the comparison of
/// a call with full spans against one with the short span, the old order.
/// </summary>
internal static class InterchangeProbeSource
{
    public const string Helpers = """
            public delegate double Run(double[] first, double[] second, bool shorten);

            private static double[] Values(int length, int seed, double scale)
            {
                var random = new Random(seed);
                var v = new double[length];
                for (var i = 0; i < v.Length; i++)
                {
                    v[i] = scale * ((2.0 * random.NextDouble()) - 1.0);
                }

                return v;
            }

            private static Span<double> Cut(double[] a, bool shorten) => shorten ? a.AsSpan(0, a.Length - 1) : a.AsSpan();

            /// <summary>
            /// Max relative difference of the two adjoints between a call with adjoint spans as long as their arrays
            /// (interchanged when the rows reach the guard) and one with the first span one element short of its array
            /// (the guard fails: the old order), which the arrays' unused last element allows.
            /// </summary>
            private static double Compare(Run run, int first, int second)
            {
                var a1 = new double[first];
                var b1 = new double[second];
                var v1 = run(a1, b1, false);
                var a2 = new double[first];
                var b2 = new double[second];
                var v2 = run(a2, b2, true);
                var worst = Math.Abs(v1 - v2) / Math.Max(1.0, Math.Abs(v2));
                var scale = a2.Concat(b2).Select(Math.Abs).DefaultIfEmpty(0.0).Max();
                foreach (var (x, y) in a1.Zip(a2).Concat(b1.Zip(b2)))
                {
                    worst = Math.Max(worst, Math.Abs(x - y) / Math.Max(Math.Max(Math.Abs(y), 1e-3 * scale), 1e-300));
                }

                return worst;
            }

        """;
}
