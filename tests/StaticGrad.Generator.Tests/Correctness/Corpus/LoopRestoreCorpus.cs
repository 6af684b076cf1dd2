namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Loops that overwrite elements of a local array whose reverse has nothing to do but restore them (the array is
/// read by a derivative earlier, but the writes carry no adjoint). The restore must land at the index of its own
/// iteration: the loop counter is stepped back even though nothing else in the reverse loop reads it (issue 13).
/// </summary>
internal static class LoopRestoreCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class LoopRestores
        {
            // The issue's repro: with n = 2, d/dx = t[1] + t[0] = 3 (the restores once landed on the wrong elements).
            // domain: n=0..6
            [Differentiable]
            public static double ForLoopRestore(double x, int n)
            {
                var t = new double[4];
                t[0] = 1; t[1] = 2; t[2] = 3; t[3] = 4;
                double s = x * t[1];
                for (int i = 0; i < n; i++)
                    t[(i + 1) % 4] *= 3.0;
                return s + x * t[0];
            }

            // domain: n=0..6
            [Differentiable]
            public static double WhileLoopRestore(double x, int n)
            {
                var t = new double[3];
                t[0] = 0.5; t[1] = -1; t[2] = 2;
                double s = Math.Sin(x * t[2]);
                int k = 0;
                while (k < n)
                {
                    t[(k + 2) % 3] = t[k % 3] * 0.5 + 1;
                    k++;
                }

                return s * t[1] + x * t[2];
            }

            // domain: n=0..5
            [Differentiable]
            public static double WhileTrueRestore(double x, int n)
            {
                var t = new double[4];
                for (int j = 0; j < 4; j++)
                    t[j] = j + 1;
                double s = x * x * t[3];
                int k = 0;
                while (true)
                {
                    if (k >= n)
                        break;
                    t[3 - k % 4] = k;
                    k++;
                }

                return s + x * t[0];
            }

            // domain: n=0..5
            [Differentiable]
            public static double StackallocRestore(double x, int n)
            {
                Span<double> t = stackalloc double[3];
                t[0] = 2; t[1] = 3; t[2] = 5;
                double s = Math.Cos(x) * t[0] * t[1];
                int i = 0;
                do
                {
                    t[(i * 2) % 3] = i * 0.25;
                    i++;
                } while (i < n);
                return s + t[2] * x;
            }

            // The array is active, but the loop's writes are constants: their reverse clears the adjoint and restores.
            // domain: n=0..5
            [Differentiable]
            public static double ActiveArrayConstantWrites(double x, int n)
            {
                var t = new double[4];
                t[0] = x; t[1] = x * x; t[2] = 1; t[3] = Math.Sin(x);
                double s = t[1] * t[3];
                for (int i = 0; i < n; i++)
                    t[(i + 1) % 4] = 0.5;
                return s + t[0] * t[1] + t[3];
            }

            // Outside loops: the index variable changes after the store, the restore must use the old index.
            [Differentiable]
            public static double IndexChangesAfterStore(double x)
            {
                var t = new double[3];
                t[0] = 1; t[1] = 2; t[2] = 3;
                double s = x * t[1];
                int k = 1;
                t[k] = 7;
                k = 2;
                t[k] = 9;
                return s + x * t[1] * t[2];
            }

            // Nested loops: the inner counter and the outer one both index the restored element.
            // domain: n=0..3
            [Differentiable]
            public static double NestedLoopRestore(double x, int n)
            {
                var t = new double[5];
                for (int j = 0; j < 5; j++)
                    t[j] = 1 + j * 0.5;
                double s = x * t[4] + x * x * t[2];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < 3; j++)
                        t[(i * 2 + j) % 5] = i - j;
                return s + x * t[0];
            }
        }
        """;
}
