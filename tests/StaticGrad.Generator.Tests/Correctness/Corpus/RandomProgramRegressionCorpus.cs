namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Random programs that were once differentiated wrongly, minimised (issue 13): each is checked against finite
/// differences with the rest of the corpus, so the bug cannot come back unnoticed.
/// </summary>
internal static class RandomProgramRegressionCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class RandomProgramRegressions
        {
            // Batch 20261208, P43: a fused reduction loop reads v1, which is written after the loop. The fused
            // iterations had added into v1's adjoint before the reverse of the later write, which then took those
            // additions for the adjoint of the new value: ∂/∂x1 was 0.60 instead of 0.62. Such a loop is not fused.
            // domain: a[5]=-1..1
            [Differentiable]
            public static double FusedLoopReadsALaterWrittenVariable(double x0, double x1, double[] a)
            {
                double v1 = x1;
                double v2 = -Math.Sqrt(1.0 + x0 * x0);
                foreach (var e0 in a)
                {
                    v2 -= 0.1 * Math.Atan(e0 + Math.Cbrt(1.0 + v1 * v1));
                }

                v1 *= 0.5 + 0.25 * Math.Cos(x0);
                return v1 + 0.5 * v2;
            }

            // The same with a plain for loop, and the variable written after the loop in a branch.
            // domain: n=1..4
            [Differentiable]
            public static double FusedLoopReadsAVariableWrittenInALaterBranch(double x, double y, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    s += Math.Sin(y * i + x);
                }

                if (x > 0)
                {
                    y = y * y;
                }

                return 2 * s + y;
            }

            // Batch 20261123, P25 and P227: a local function called with constants only was kept as a constant read,
            // `this.Scaled(0.4)` or `RandomProgramRegressions.Square(1.5)`, which the generated methods cannot call.
            [Differentiable]
            public static double LocalFunctionsCalledWithConstants(double x)
            {
                double Scaled(double u) => Math.Sin(u) * u;
                static double Square(double u) => u * u;
                return Scaled(0.4) * x + Square(1.5) + Scaled(x);
            }

            // Batch 20261123, P106 and P245: writes to a span from the end (`s[^1] = …`, `s[^(i % 4 + 1)] += …`) were
            // refused with SG1002 ("assignments to targets like 's[^1]'"); the array form `t[^1] = …` was accepted.
            // domain: a[4]=-1..1
            [Differentiable]
            public static double SpanWritesFromTheEnd(double x, ReadOnlySpan<double> a)
            {
                Span<double> s = stackalloc double[4];
                s[^1] = Math.Sin(x) * a[^2];
                for (int i = 0; i < 3; i++)
                {
                    s[^(i % 4 + 1)] += x * a[i] + s[^1];
                }

                return s[0] * s[^1] + s[^2];
            }

            // Batch 20261194, P50: a parameter array written in the body is used through its entry copy, but a slice
            // of it passed to a callee still named the caller's array (and its adjoint `da`, not the copy's): the
            // callee saw the element before the write, Backward returned 1.308 instead of 1.578 and ∂/∂x0 was 0.5.
            // domain: a[5]=-1..1
            [Differentiable]
            public static double SliceOfAWrittenParameterArray(double x0, double[] a)
            {
                double v0 = a[0];
                a[3] += x0 * -0.53;
                Range middle = 1..^1;
                v0 = v0 * 0.5 + SliceSum(a[middle], v0 * 0.5) + a[^4] * 0.25 + SliceSum(a.AsSpan(2, 2), x0);
                return 0.5 * x0 + 0.5 * v0;
            }

            // Session 7, the local jagged productions: a named row followed by a loop over its length
            // ('var row = m[q]; for (int c = 0; c < row.Length; c++)') was refused (SG1002: variables of type
            // 'int'), for jagged parameters and locals alike: checking that nothing in the block writes the row's
            // index lowered the inner counter c before its declaration.
            // domain: a[4]=-1..1
            [Differentiable]
            public static double NamedRowThenLoopOverIt(double x, double[] a)
            {
                var g = new double[3][];
                for (int r = 0; r < g.Length; r++)
                {
                    g[r] = new double[2];
                }

                for (int r = 0; r < g.Length; r++)
                {
                    for (int c = 0; c < g[r].Length; c++)
                    {
                        g[r][c] = Math.Tanh(x * (r + 1) + a[(r + c) % 4]);
                    }
                }

                double v = x;
                for (int q = 0; q < g.Length; q++)
                {
                    var row = g[q];
                    for (int c = 0; c < row.Length; c++)
                    {
                        v += 0.25 * Math.Sin(row[c] * x);
                    }
                }

                return v + g[1][1] * g[2][0];
            }

            // Session 9, the ragged-row-loop production: a local jagged array whose rows get different lengths in
            // one counted loop was refused (SG1010) when the loop's bound was written 'rows.Length' instead of the
            // count given to 'new double[3][]' (half of the 128 programs of CI's 2 000 that create rows so).
            // domain: x=-2..2 y=-2..2
            [Differentiable]
            public static double RaggedRowsCountedByLength(double x, double y)
            {
                var rows = new double[3][];
                for (int i = 0; i < rows.Length; i++)
                {
                    rows[i] = new double[3 - i];
                    for (int j = 0; j < rows[i].Length; j++)
                    {
                        rows[i][j] = Math.Sin(x + 0.5 * (i - j)) * y;
                    }
                }

                double s = 0.0;
                for (int r = 0; r < rows.Length; r++)
                {
                    for (int c = 0; c < rows[r].Length; c++)
                    {
                        s += rows[r][c] * rows[r][0];
                    }
                }

                return s + rows[2][0];
            }

            // Batch 20261532, P45: a call with constant arguments is kept as C# text, and a negated constant that
            // folds to a negative literal, `MathF.Cos(-(1.3f <= 0.92f ? 0.84f : -1.14f))`, was printed `Cos((--1.14f))`,
            // the decrement operator: CS1059 in the generated file. Also through a const local and in double.
            // domain: n=1..4
            [Differentiable]
            public static float NegatedFoldedConstantInACall(float x, int n)
            {
                const float c = -0.5f;
                float v = -x;
                for (int k = 0; k < n; k++)
                {
                    v *= 0.5f + 0.25f * MathF.Cos(-((1.3f <= 0.92f ? 0.84f : -1.14f)));
                }

                return v * MathF.Sin(-c) + x * x * MathF.Exp(+(-c));
            }

            [Differentiable]
            public static double NegatedConstLocalInACall(double x)
            {
                const double c = -2.0;
                return Math.Cos(-c) * x + Math.Atan2(-(-c), -(c > 0 ? 1.0 : -3.0)) * x * x;
            }

            // The same folded literal as the receiver of an instance call: `-2.0.CompareTo(-3.0)` would be
            // -(2.0.CompareTo(-3.0)) = -1 instead of 1, a silently wrong gradient.
            [Differentiable]
            public static double ConstLocalAsAReceiver(double x)
            {
                const double c = -2.0;
                return x * c.CompareTo(-3.0) + Math.Sin(x) * (c > 0 ? 1.0 : -0.5).CompareTo(-1.0);
            }

            [Differentiable]
            public static double SliceSum(ReadOnlySpan<double> s, double w)
            {
                double r = s[^1] * 0.5;
                for (int i = 0; i < s.Length; i++)
                {
                    r += s[i] * Math.Tanh(w + s[i]);
                }

                return r;
            }
        }
        """;
}
