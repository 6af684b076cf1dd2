using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 19's lstm19 (iteration slots under a counted loop outside every loop,
/// <c>ReverseModeTransformer.IterationSlots.cs</c>, <c>…SavedBuiltins.cs</c>): slot index arithmetic (triangular
/// inner loops, bounds read from arrays written in the outer body, a bound parameter changed before the loop, three
/// deep with starts 1 and 2, outer loops counting down or by 2, inner steps of 2 and 3, inner loops skipped on some
/// outer iterations, continue), element saves whose index is not the loop index, saves in the outer body and in the
/// inner loop, sibling inner loops of different element types, float and double (and a float kept call inside a
/// double statement), int/bool saves, struct fields, bounds of type double/long, two roots in a row, a slotted helper
/// called from a slotted loop and twice in one expression, recursion, hostile names, and a Backward that throws
/// mid-loop and is called again. ONE compilation; each Backward against central finite differences (tolerances of
/// <see cref="FiniteDifferenceCheck"/>); the Hessian of a slotted method against central differences of its Backward.
/// <para>
/// Failing at 631a875 (all pass at 3bfefe8, kept as regression tests): <c>FloatKeptInDouble</c>,
/// <c>DoubleKeptInFloat</c> and <c>MixedKeptTypes</c>, a statement in a slotted inner loop that keeps library calls
/// of both float and double (<c>v = MathF.Tanh(b[j] * (float)v) * v + Math.Exp(v * a[j]) * a[i]</c>): the generated
/// code does not compile (CS0266). <c>KeptCandidates</c> reserves slots only for calls of the statement's element type,
/// but <c>MarkKeptBuiltins</c> dequeues a reserved slot for every kept call in order, so the first kept call of the
/// other type takes the slot: a float kept value is read back from the double buffer (<c>_m0 = _saves[…]</c>), or a
/// double kept value is stored into the float buffer.
/// </para>
/// </summary>
public sealed class Session19LoopSlotsReviewTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Review19Slots;

        public struct Cell2
        {
            public double H;
            public double C;
        }

        public static partial class S
        {
            // Triangular: the inner bound is the outer index (keeps the tape).
            // domain: a[10]=-1..1 x=-1..1 n=3..4
            [Differentiable]
            public static double Triangular(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < i; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }
                }

                return v;
            }

            // Inner bound read from an array element the outer body writes (some outer iterations: zero trips).
            // domain: a[10]=-1..1 x=-1..1 n=3..4
            [Differentiable]
            public static double BoundFromWrittenArray(double[] a, double x, int n)
            {
                var counts = new int[n];
                var v = x;
                for (var i = 0; i < n; i++)
                {
                    counts[i] = i % 2 == 0 ? 2 : 0;
                    for (var j = 0; j < counts[i]; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }
                }

                return v;
            }

            // The bound parameter is changed before the loop.
            // domain: a[10]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double BoundChangedBefore(double[] a, double x, int n)
            {
                n = n + 2;
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }
                }

                return v;
            }

            // Three deep, starts 1, 2, 0, bounds n + 1, 2 * n, n; a save in the middle body too.
            // domain: a[20]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double ThreeDeepStarts(double[] a, double x, int n)
            {
                var v = x;
                var m = 0.0;
                for (var i = 1; i < n + 1; i++)
                {
                    for (var j = 2; j < 2 * n; j++)
                    {
                        m = v * a[i + j];
                        for (var k = 0; k < n; k++)
                        {
                            v = Math.Tanh(v * a[i + j + k]) + (0.5 * v) + (0.1 * m);
                        }
                    }
                }

                return v + m;
            }

            // The outer loop counts down from a constant.
            // domain: a[10]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double OuterCountsDown(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 3; i > 0; i--)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }
                }

                return v;
            }

            // The outer loop steps by 2.
            // domain: a[12]=-1..1 x=-1..1 n=3..5
            [Differentiable]
            public static double OuterStepTwo(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < n; i += 2)
                {
                    for (var j = 0; j < n + 1; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }
                }

                return v;
            }

            // Inner step 2 from 1, outer start 1; inner step 3.
            // domain: a[16]=-1..1 x=-1..1 n=2..4
            [Differentiable]
            public static double InnerSteps(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 1; i < 3; i++)
                {
                    for (var j = 1; j < 2 * n; j += 2)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }

                    for (var k = 0; k < n + 2; k += 3)
                    {
                        v = Math.Cos(v * a[i + k]) * v;
                    }
                }

                return v;
            }

            // The inner loop runs only on odd outer iterations (under an if), and a continue in the outer body.
            // domain: a[12]=-1..1 x=-1..1 n=2..4
            [Differentiable]
            public static double InnerSkipped(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < 4; i++)
                {
                    if (i == 2)
                    {
                        continue;
                    }

                    if (i % 2 == 1)
                    {
                        for (var j = 0; j < n; j++)
                        {
                            v = Math.Sin(v * a[i + j]) + v;
                        }
                    }
                }

                return v;
            }

            // A continue in the inner loop after the save.
            // domain: a[10]=-1..1 x=-1..1 n=3..4
            [Differentiable]
            public static double ContinueAfterSave(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                        if (j == 1)
                        {
                            continue;
                        }

                        v = v * Math.Exp(0.1 * a[j]) + (0.3 * v * v);
                    }
                }

                return v;
            }

            // Element saves whose index is not the loop index.
            // domain: a[10]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double ElementNotIndex(double[] a, double x, int n)
            {
                var s = new double[3];
                s[0] = x;
                s[1] = x * x;
                s[2] = 1.0 - x;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        s[0] = Math.Tanh(s[0] * a[i + j]) + s[(i + j) % 3];
                        s[(i + j) % 3] = s[(i + j) % 3] * Math.Cos(s[0]) + a[j];
                        s[n - 1 - j + 2 - 2] = s[n - 1 - j] * a[i] + s[2];
                    }
                }

                return s[0] + s[1] * s[2];
            }

            // Saves in the outer body and in the inner loop, of the same local.
            // domain: a[10]=-1..1 x=-1..1 n=2..4
            [Differentiable]
            public static double OuterAndInner(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < 3; i++)
                {
                    v = Math.Sin(v) * a[i];
                    for (var j = 0; j < n; j++)
                    {
                        v = v * Math.Tanh(v + a[i + j]) + a[j];
                    }

                    v = v * v + 0.5;
                }

                return v;
            }

            // Two sibling inner loops: doubles in one, floats in the other, both in one statement too.
            // domain: a[10]=-1..1 b[10]=-1..1 x=-1..1 n=2..4
            [Differentiable]
            public static double SiblingsFloatDouble(double[] a, float[] b, double x, int n)
            {
                var v = x;
                var f = (float)x;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }

                    for (var j = 0; j < n + 1; j++)
                    {
                        f = MathF.Tanh(f * b[i + j]) + f;
                        v = v * Math.Cos(f) + f;
                        f = f * (float)v;
                    }
                }

                return v + f;
            }

            // A double statement that keeps a float call (MathF.Tanh) and a double one (Math.Exp).
            // domain: a[10]=-1..1 b[10]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double MixedKeptTypes(double[] a, float[] b, double x, int n)
            {
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = (MathF.Tanh(b[i + j] * (float)v) * v) + (Math.Exp(v * a[j]) * a[i]);
                        v = (Math.Exp(v * a[j]) * a[i]) + (MathF.Tanh(b[i + j] * (float)v) * v);
                    }
                }

                return v;
            }

            // A float method: float saves and float kept calls.
            // domain: w[10]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static float FloatKept(float[] w, float x, int n)
            {
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = (v * MathF.Tanh(v + w[i + j])) + (MathF.Exp(0.5f * v) * w[j]);
                    }
                }

                return v;
            }

            // Struct fields written in the inner loop.
            // domain: a[10]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double StructFields(double[] a, double x, int n)
            {
                var cell = new Cell2 { H = x, C = 0.5 * x };
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        cell.C = (cell.C * Math.Tanh(cell.H * a[i + j])) + a[j];
                        cell.H = Math.Tanh(cell.C) * a[i + j + 1];
                    }
                }

                return cell.H + cell.C;
            }

            // An int and a bool overwritten in the inner loop, read by the reverse.
            // domain: a[10]=-1..1 x=-1..1 n=2..4
            [Differentiable]
            public static double IntAndBoolSaves(double[] a, double x, int n)
            {
                var v = x;
                var k = 0;
                var up = false;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        k = (k * 3 + j + 1) % 7;
                        up = a[k] > 0.0;
                        v = up ? Math.Sin(v * a[k]) + v : v * a[k + 1];
                    }
                }

                return v;
            }

            // The inner bound is a double expression (j < 1.5 * n).
            // domain: a[10]=-1..1 x=-1..1 n=2..4
            [Differentiable]
            public static double DoubleBound(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < 1.5 * n; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }
                }

                return v;
            }

            // The inner bound is a long constant.
            // domain: a[10]=-1..1 x=-1..1
            [Differentiable]
            public static double LongBound(double[] a, double x)
            {
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < 3L; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }
                }

                return v;
            }

            // Two roots in a row, the same index names.
            // domain: a[10]=-1..1 x=-1..1 n=2..4
            [Differentiable]
            public static double TwoRoots(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }
                }

                var u = v;
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < 2; j++)
                    {
                        u = Math.Cos(u * a[i + j]) * u + v;
                        v = v * Math.Tanh(u) + a[j];
                    }
                }

                return v + u;
            }

            // A slotted helper, called in a slotted loop and twice in one expression.
            // domain: a[10]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double Helper(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + (0.5 * v);
                    }
                }

                return v;
            }

            // domain: a[10]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double CallsHelperInLoop(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = Helper(a, v * a[i + j], n) * Math.Tanh(v) + v;
                    }
                }

                return v;
            }

            // domain: a[10]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double HelperTwiceInOneExpression(double[] a, double x, int n) =>
                Helper(a, x, n) * Helper(a, x * x, n + 1);

            // Recursion through a slotted loop.
            // domain: a[10]=-1..1 x=-1..1 n=2..3 depth=1..2
            [Differentiable]
            public static double Recursive(double[] a, double x, int n, int depth)
            {
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }
                }

                if (depth > 0)
                {
                    v = v * Recursive(a, 0.5 * v, n, depth - 1);
                }

                return v;
            }

            // Hostile names: parameters and locals named like the generated buffers.
            // domain: _saves[10]=-1..1 _vSaved=-1..1 _saves_1=2..3
            [Differentiable]
            public static double HostileParameters(double[] _saves, double _vSaved, int _saves_1)
            {
                var v = _vSaved;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < _saves_1; j++)
                    {
                        var _stateSaved = v * _saves[i + j];
                        v = Math.Sin(_stateSaved) * Math.Tanh(v) + v;
                        var _saves_2 = Math.Exp(0.1 * v);
                        v = v * _saves_2;
                    }
                }

                var _vSaved_1 = v * v;
                var _saves_3 = _vSaved_1 + v;
                return _saves_3;
            }

            // A loop whose indexing throws for a large n (the exception test calls it with n = 50 first).
            // domain: a[10]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double Throws(double[] a, double x, int n)
            {
                var s = new double[4];
                var v = x;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        s[j % 4] = Math.Tanh(v * a[i + j]) + s[(j + 1) % 4];
                        v = Math.Sin(v * a[i + j]) + v * s[j % 4];
                    }
                }

                return v + s[0];
            }

            // A Jacobian opt-in method whose gradient is also generated.
            // domain: a[10]=-1..1 x=-1..1 n=2..3
            [Differentiable(Jacobian = true)]
            public static double WithJacobian(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = Math.Sin(v * a[i + j]) * Math.Exp(0.2 * v) + v;
                    }
                }

                return v;
            }

            // Minimal: one double statement keeping a float call and a double call.
            // domain: a[10]=-1..1 b[10]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double FloatKeptInDouble(double[] a, float[] b, double x, int n)
            {
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = (MathF.Tanh(b[i + j] * (float)v) * v) + (Math.Exp(v * a[j]) * a[i]);
                    }
                }

                return v;
            }

            // The other way: a float statement keeping a double call and a float call.
            // domain: a[10]=-1..1 b[10]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static float DoubleKeptInFloat(double[] a, float[] b, float x, int n)
            {
                var f = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        f = ((float)Math.Exp(f * a[j]) * b[i]) + (MathF.Tanh(b[i + j] * f) * f);
                    }
                }

                return f;
            }

            // A Hessian opt-in method with a slotted nest (its gradient is checked; the Hessian must compile).
            // domain: a[10]=-1..1 x=-1..1 y=-1..1
            [Differentiable(Hessian = true)]
            public static double WithHessian(double[] a, double x, double y)
            {
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        v = Math.Sin(v * a[i + j] * y) * Math.Exp(0.2 * v) + v;
                    }
                }

                return v * y;
            }

            // A bound parameter named like the generated reverse index.
            // domain: a[10]=-1..1 x=-1..1 _j=2..3
            [Differentiable]
            public static double HostileBound(double[] a, double x, int _j)
            {
                var v = x;
                for (var _i = 0; _i < 2; _i++)
                {
                    for (var j = 0; j < _j; j++)
                    {
                        v = Math.Sin(v * a[_i + j]) + v;
                    }
                }

                return v;
            }

            // The outer index skips ahead in the body.
            // domain: a[12]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double OuterIndexSkips(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < 4; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }

                    if (a[i] > 0.0)
                    {
                        i++;
                    }
                }

                return v;
            }

            // A switch (its break ends the case, not the loop) in the inner loop.
            // domain: a[10]=-1..1 x=-1..1 n=3..4
            [Differentiable]
            public static double SwitchInInner(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        switch (j % 3)
                        {
                            case 0:
                                v = Math.Sin(v * a[i + j]) + v;
                                break;
                            case 1:
                                v = v * Math.Tanh(v + a[j]);
                                break;
                            default:
                                v = v * v * 0.5 + a[i];
                                break;
                        }
                    }
                }

                return v;
            }

            // Two variables in the for header (the start is not the statement just before the loop).
            // domain: a[10]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double TwoHeaderVariables(double[] a, double x, int n)
            {
                var v = x;
                for (int i = 0, k = 3; i < 2; i++, k--)
                {
                    for (int j = 0, m = k; j < n; j++, m++)
                    {
                        v = Math.Sin(v * a[i + j + m]) + v;
                    }
                }

                return v;
            }

            // The inner index declared outside and reset before the inner loop, read after it.
            // domain: a[12]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double IndexReadAfter(double[] a, double x, int n)
            {
                var v = x;
                var j = 0;
                for (var i = 0; i < 3; i++)
                {
                    j = 0;
                    for (; j < n; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }

                    v = v * a[j + i];
                }

                return v + j;
            }

            // A local jagged array's element overwritten in the inner loop (one save: the buffer is named after the array).
            // domain: p[3x4]=-1..1 x=-1..1 n=2..4
            [Differentiable]
            public static double JaggedElementSave(double[][] p, double x, int n)
            {
                var m = new double[3][];
                for (var r = 0; r < 3; r++)
                {
                    m[r] = new double[4];
                    for (var c = 0; c < 4; c++)
                    {
                        m[r][c] = p[r][c];
                    }
                }

                var v = x;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        m[i][j] = Math.Sin(m[i][j] * v) + m[i][j];
                    }

                    v = v + m[i][0];
                }

                return v + m[1][1];
            }

            // A local 2-D array's element overwritten in the inner loop.
            // domain: p[3x4]=-1..1 x=-1..1 n=2..4
            [Differentiable]
            public static double RectElementSave(double[,] p, double x, int n)
            {
                var m = new double[3, 4];
                for (var r = 0; r < 3; r++)
                {
                    for (var c = 0; c < 4; c++)
                    {
                        m[r, c] = p[r, c];
                    }
                }

                var v = x;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        m[i, j] = Math.Sin(m[i, j] * v) + m[i, j];
                    }

                    v = v + m[i, 0];
                }

                return v + m[1, 1];
            }

            // A row of a local jagged array taken into a local and overwritten in the inner loop.
            // domain: p[3x4]=-1..1 x=-1..1 n=2..4
            [Differentiable]
            public static double RowAliasSave(double[][] p, double x, int n)
            {
                var m = new double[3][];
                for (var r = 0; r < 3; r++)
                {
                    m[r] = new double[4];
                    for (var c = 0; c < 4; c++)
                    {
                        m[r][c] = p[r][c];
                    }
                }

                var v = x;
                for (var i = 0; i < 3; i++)
                {
                    var row = m[i];
                    for (var j = 0; j < n; j++)
                    {
                        row[j] = Math.Sin(row[j] * v) + m[i][j];
                    }

                    v = v + row[0];
                }

                return v + m[1][1];
            }

            // Locals named like the generated kept values, block copies, slot buffer and tape.
            // domain: a[10]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double HostileLocals(double[] a, double x, int n)
            {
                var _v = x;
                var _m0 = 0.5 * x;
                var _tape = 0.25;
                for (var i = 0; i < 2; i++)
                {
                    for (var _j = 0; _j < n; _j++)
                    {
                        var _m1 = Math.Tanh(_v * a[i + _j]);
                        _v = (_v * Math.Exp(0.1 * _m0)) + (Math.Sin(_m1 * _v) * a[_j]);
                        _m0 = (_m0 * Math.Tanh(_v + _tape)) + _m1;
                        _tape = _tape + (0.1 * a[i]);
                    }
                }

                var _saves = _v + _m0;
                return _saves * _tape;
            }

            public static double[] HessOf(double[] a, double x, double y)
            {
                var h = new double[12 * 12];
                WithHessianHessian(a, x, y, h);
                return h;
            }

            public static double[] GradOfHessian(double[] a, double x, double y)
            {
                var da = new double[10];
                double dx = 0.0;
                double dy = 0.0;
                WithHessianBackward(a, x, y, da, ref dx, ref dy);
                var g = new double[12];
                da.CopyTo(g, 0);
                g[10] = dx;
                g[11] = dy;
                return g;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>
    /// A Backward that throws mid-loop (index out of range at n = 50, after slots were rented and partly written) and
    /// is then called again at a good point must give the same gradient as before the throw.
    /// </summary>
    [Fact]
    public void Backward_after_a_throw_mid_loop_matches()
    {
        var batch = s_batch.Value;
        var method = s_methods.Single(m => m.Key == "S.Throws");
        Assert.True(batch.Loaded.TryGetValue(method.Key, out var loaded), batch.Failures.GetValueOrDefault(method.Key));
        var point = FiniteDifferenceCheck.DrawPoint(method, new Random(19));
        point[2][0] = 3;
        var clean = FiniteDifferenceCheck.Zeros(method, point);
        var value = loaded!.Backward(point, clean, 1.0);
        var bad = FiniteDifferenceCheck.Copy(point);
        bad[2][0] = 50;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var ex = Record.Exception(() => loaded.Backward(bad, FiniteDifferenceCheck.Zeros(method, bad), 1.0));
            Assert.NotNull(ex);
        }

        var again = FiniteDifferenceCheck.Zeros(method, point);
        var value2 = loaded.Backward(point, again, 1.0);
        Assert.Equal(value, value2);
        for (var i = 0; i < clean.Length; i++)
        {
            Assert.Equal(clean[i], again[i]);
        }
    }

    /// <summary>How many slot buffers each backward rents, and whether it still pops floating values from the tape (as reviewed at 631a875).</summary>
    [Theory]
    [InlineData("S.Triangular", 0, true)]
    [InlineData("S.BoundFromWrittenArray", 0, true)]
    [InlineData("S.BoundChangedBefore", 0, true)]
    [InlineData("S.ThreeDeepStarts", 1, false)]
    [InlineData("S.OuterCountsDown", 0, true)]
    [InlineData("S.OuterStepTwo", 0, true)]
    [InlineData("S.InnerSteps", 0, true)]
    [InlineData("S.InnerSkipped", 1, false)]
    [InlineData("S.ContinueAfterSave", 1, false)]
    [InlineData("S.ElementNotIndex", 1, false)]
    [InlineData("S.OuterAndInner", 1, true)]
    [InlineData("S.SiblingsFloatDouble", 3, false)]
    [InlineData("S.FloatKept", 1, false)]
    [InlineData("S.StructFields", 1, false)]
    [InlineData("S.IntAndBoolSaves", 0, true)]
    [InlineData("S.DoubleBound", 0, true)]
    [InlineData("S.LongBound", 0, true)]
    [InlineData("S.TwoRoots", 2, false)]
    [InlineData("S.Helper", 1, false)]
    [InlineData("S.CallsHelperInLoop", 1, false)]
    [InlineData("S.Recursive", 1, false)]
    [InlineData("S.HostileParameters", 1, false)]
    [InlineData("S.HostileBound", 1, false)]
    [InlineData("S.Throws", 1, false)]
    [InlineData("S.OuterIndexSkips", 0, true)]
    [InlineData("S.SwitchInInner", 1, false)]
    [InlineData("S.TwoHeaderVariables", 0, true)]
    [InlineData("S.IndexReadAfter", 1, true)]
    [InlineData("S.JaggedElementSave", 2, true)]
    [InlineData("S.RectElementSave", 2, true)]
    public void Slot_buffers_as_reviewed(string key, int buffers, bool pops) =>
        IterationSlotsAdversarialTests.AssertSlotBuffers(key, s_batch.Value.GeneratedSource[key], buffers, pops);

    /// <summary>The dense Hessian of a slotted method against central differences of its Backward (h = 1e-5, |H − fd| ≤ 1e-5·max(1,|fd|)).</summary>
    [Fact]
    public void Hessian_matches_differences_of_the_backward()
    {
        var batch = s_batch.Value;
        Assert.True(batch.Output is not null, "the batch did not compile: " + string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
        var type = batch.Output!.Value.Assembly.GetType("Review19Slots.S")!;
        double[] Grad(double[] p) => (double[])type.GetMethod("GradOfHessian")!.Invoke(null, new object[] { p[..10], p[10], p[11] })!;
        var random = new Random(1919);
        for (var point = 0; point < 2; point++)
        {
            var p = Enumerable.Range(0, 12).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var h = (double[])type.GetMethod("HessOf")!.Invoke(null, new object[] { p[..10], p[10], p[11] })!;
            for (var j = 0; j < 12; j++)
            {
                var plus = (double[])p.Clone();
                var minus = (double[])p.Clone();
                plus[j] += 1e-5;
                minus[j] -= 1e-5;
                var gp = Grad(plus);
                var gm = Grad(minus);
                for (var i = 0; i < 12; i++)
                {
                    var fd = (gp[i] - gm[i]) / 2e-5;
                    Assert.True(Math.Abs(h[(i * 12) + j] - fd) <= 1e-5 * Math.Max(1, Math.Abs(fd)), $"H[{i},{j}] = {h[(i * 12) + j]}, fd {fd}");
                }
            }
        }
    }

    [Fact]
    public void No_generator_warnings()
    {
        var batch = s_batch.Value;
        var warnings = batch.GeneratorDiagnostics.SelectMany(p => p.Value.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).Select(d => p.Key + ": " + d)).ToList();
        Assert.True(warnings.Count == 0, string.Join("\n", warnings));
    }
}
