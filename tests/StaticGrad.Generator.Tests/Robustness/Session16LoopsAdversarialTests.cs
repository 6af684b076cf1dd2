using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 16's loop changes (bff4b70..a4579bc): spring16 (arguments of struct-/tuple-result
/// helper calls read again from arrays right before the call's one backward instead of pushed,
/// <c>ReverseModeTransformer.ArgumentsReadAgain.cs</c>), gmm16 (innermost loops reversed in forward order,
/// <c>ReverseModeTransformer.ForwardOrderReversal.cs</c>) and the lead's 9ef5455 (an array handed to a helper without a
/// derivative is one SG1002 when the helper's source writes or keeps it, <c>Lowering/ReadOnlyCallees.cs</c>).
/// (1) Escape check: helpers that keep the array in less obvious ways (List&lt;object&gt;.Add, ReadOnlyMemory written
/// back through MemoryMarshal, a write through a ReadOnlySpan view, a jagged row or params wrapper as the argument, a
/// generic or recursive keeper, an instance method, a constructor, a partial method implemented in another file) are
/// expected refused; helpers that only read (recursion, Array.IndexOf, params double[], Sum(), foreach over Vector3[])
/// are expected accepted. (2) Arguments read again: tuples deconstructed straight into the elements read (also
/// swapped, neighbour, same element twice), elements written after the call in the same or a later iteration, index
/// variables stepped around the call, index arrays, inner loops rewriting the row, branches, break/continue, early
/// return, 0/1/n trips, rows created again per iteration or reassigned. (3) Forward-order reversal: integer steps
/// reading the accumulator, an int changed after the loop, a cast parameter; a condition on the stepped integer.
/// One compiled batch; every accepted method's Backward compared against central finite differences with the
/// harness's tolerances (<see cref="FiniteDifferenceCheck"/>).
/// Defects found and fixed on main: ObjectListKeeps, StatementCallKeeps, AsEnumerableKeeps (a helper kept the array
/// through a library parameter of type object or IEnumerable&lt;T&gt;, which <c>OnlyReads</c> took for a read-only view;
/// a later helper cast it back and wrote: silently wrong gradient; now only library methods known to keep nothing,
/// <c>LibraryOnlyReads</c>, read through such views), ReadOnlySpanParameterWrites (a ReadOnlySpan parameter was never
/// inspected; the helper wrote through MemoryMarshal: now its source is read too, and MemoryMarshal/Unsafe count as
/// writes); RecursiveReader, IndexOfReader, CloneReader, AsSpanReader (helpers that only read were refused: recursion
/// now reads when the rest of the body does, Array's searches, a.Clone() and a.AsSpan() followed by reads are reads).
/// Refused, not defects: a jagged row or a params double[][] as the argument, a constructor, tuple deconstruction into
/// elements (rewritten here as deconstruction into locals); ReadOnlyListKeeps is refused at the helper's argument.
/// </summary>
public sealed class Session16LoopsAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string Helpers = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Numerics;
        using System.Runtime.InteropServices;
        using StaticGrad;

        namespace Review16;

        // Plain helpers (no [Differentiable], no rule): some keep or write the array in less obvious ways, some only read.
        public static partial class Keep
        {
            private static readonly List<object> s_all = new();
            private static ReadOnlyMemory<double> s_memory;
            private static double[] s_row = new double[4];
            private static object s_any = new object();

            // Kept through a parameter of type object (List<object>.Add): a later Poke writes it back through a cast.
            public static int Bind(double[] a)
            {
                s_all.Add(a);
                return s_all.Count > 0 ? 1 : 0;
            }

            public static int Poke(int j, double v)
            {
                ((double[])s_all[s_all.Count - 1])[j] = v;
                return j;
            }

            // Kept as a ReadOnlyMemory (a read-only view), written later through MemoryMarshal.AsMemory.
            public static int BindMemory(double[] a)
            {
                ReadOnlyMemory<double> m = a;
                s_memory = m;
                return 1;
            }

            public static int PokeMemory(int j, double v)
            {
                MemoryMarshal.AsMemory(s_memory).Span[j] = v;
                return j;
            }

            // Writes through a ReadOnlySpan view of its array parameter (MemoryMarshal.GetReference/CreateSpan).
            public static int WriteThroughView(double[] a, int j)
            {
                ReadOnlySpan<double> r = a;
                MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(r), r.Length)[j] = 7.0;
                return j;
            }

            // Keeps a row: plain Bind, handed a jagged array's row or an array wrapped in params.
            public static int BindRow(double[] a)
            {
                s_row = a;
                return 1;
            }

            public static int PokeRow(int j, double v)
            {
                s_row[j] = v;
                return j;
            }

            public static int BindFirst(params double[][] a)
            {
                s_row = a[0];
                return a.Length;
            }

            // Generic keeper.
            public static int KeepGeneric<T>(T[] a)
            {
                s_any = a;
                return 1;
            }

            public static int PokeAny(int j, double v)
            {
                ((double[])s_any)[j] = v;
                return j;
            }

            // Recursive keeper: keeps the array at the bottom of the recursion.
            public static int KeepDeep(double[] a, int n)
            {
                if (n == 0)
                {
                    s_row = a;
                    return 0;
                }

                return KeepDeep(a, n - 1) + 1;
            }

            // Kept as a read-only interface (IReadOnlyList<double> parameter) in a list of views, cast back by PokeView.
            private static readonly List<IReadOnlyList<double>> s_views = new();

            public static int BindView(IReadOnlyList<double> a)
            {
                s_views.Add(a);
                return 1;
            }

            public static int PokeView(int j, double v)
            {
                ((double[])s_views[s_views.Count - 1])[j] = v;
                return j;
            }

            // A void helper (a statement call, "a log line") that keeps the array through List<object>.Add.
            public static void Remember(double[] a)
            {
                s_all.Add(a);
            }

            // A ReadOnlySpan parameter written through MemoryMarshal.
            public static int WriteReadOnlySpan(ReadOnlySpan<double> a, int j)
            {
                MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(a), a.Length)[j] = 7.0;
                return j;
            }

            // The array's span handed on to a writer.
            public static int ForwardSpan(double[] a) => WriteSpan(a.AsSpan(), 1);

            private static int WriteSpan(Span<double> s, int j)
            {
                s[j] = 9.0;
                return j;
            }

            // Read only, through a copy (Clone) and through a span view (AsSpan).
            public static int MedianIndex(double[] a)
            {
                var c = (double[])a.Clone();
                Array.Sort(c);
                return Array.IndexOf(c, c[c.Length / 2]) >= 0 ? 1 : 0;
            }

            public static int CountNegative(double[] a)
            {
                var n = 0;
                foreach (var v in a.AsSpan())
                {
                    if (v < 0.0)
                    {
                        n++;
                    }
                }

                return n;
            }

            // Kept as the IEnumerable<double> that AsEnumerable returns (the array itself), cast back by PokeEnumerable.
            private static IEnumerable<double> s_enumerable = Array.Empty<double>();

            public static int BindEnumerable(double[] a)
            {
                s_enumerable = a.AsEnumerable();
                return 1;
            }

            public static int PokeEnumerable(int j, double v)
            {
                ((double[])s_enumerable)[j] = v;
                return j;
            }

            // An extension method that keeps its receiver.
            public static int KeepExtension(this double[] a)
            {
                s_row = a;
                return 1;
            }

            // ---- read only ----

            // Recursion that only reads (deeper than a fixed call depth).
            public static int CountFrom(double[] a, int i) => i >= a.Length ? 0 : (a[i] > 0.0 ? 1 : 0) + CountFrom(a, i + 1);

            public static int IndexOfZero(double[] a) => Array.IndexOf(a, 0.0) + 1;

            public static int CountPositive(params double[] a)
            {
                var n = 0;
                foreach (var v in a)
                {
                    if (v > 0.0)
                    {
                        n++;
                    }
                }

                return n;
            }

            public static int SumSign(double[] a) => a.Sum() > 0.0 ? 1 : 2;

            public static int Longest(Vector3[] a)
            {
                var best = 0;
                var i = 0;
                var length = -1.0f;
                foreach (var v in a)
                {
                    if (v.Length() > length)
                    {
                        length = v.Length();
                        best = i;
                    }

                    i++;
                }

                return best;
            }
        }

        // An instance keeper reached through a static instance.
        public sealed class Keeper
        {
            public static readonly Keeper Instance = new();

            private double[] _kept = new double[4];

            public int Take(double[] a)
            {
                _kept = a;
                return 1;
            }

            public int Poke(int j, double v)
            {
                _kept[j] = v;
                return j;
            }
        }

        // A keeper reached through a constructor.
        public sealed class Holder
        {
            public static double[] Last = new double[4];

            public Holder(double[] a)
            {
                Last = a;
            }

            public int Id => 1;
        }

        public static partial class KeepSplit
        {
            public static partial int Touch(double[] a, int j);
        }

        public struct M2
        {
            public double X;
            public double V;
        }

        public static partial class H
        {
            [Differentiable]
            public static M2 Kick(M2 m, double f, double dt)
            {
                var v = m.V + (dt * f * Math.Cos(m.X));
                return new M2 { X = m.X + (dt * v), V = v };
            }

            [Differentiable]
            public static (double X, double V) Step(double x, double v, double dt)
            {
                var next = v - (dt * Math.Sin(x));
                return (x + (dt * next), next * (1.0 + (0.1 * x)));
            }
        }
        """;

    private const string SplitHelper = """
        namespace Review16;

        // The other part of a partial method: its implementation writes the array.
        public static partial class KeepSplit
        {
            public static partial int Touch(double[] a, int j)
            {
                a[j] = 5.0;
                return j;
            }
        }
        """;

    private const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Review16;

        public static partial class E
        {
            // ---- the escape check: helpers that keep or write the array in less obvious ways (expected: one SG1002) ----

            // Kept through List<object>.Add (an object parameter counts as a read-only view), written back by Poke.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double ObjectListKeeps(double x)
            {
                var f = new double[3];
                f[0] = x;
                f[1] = x * x;
                f[2] = Math.Sin(x);
                var k = Keep.Bind(f);
                var y = f[1] * x;
                var j = Keep.Poke(1, 5.0);
                return y + (f[2] * (k + j));
            }

            // Kept as ReadOnlyMemory (a conversion to a read-only view), written through MemoryMarshal.AsMemory.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double ReadOnlyMemoryKeeps(double x)
            {
                var f = new double[3];
                f[1] = x * x;
                var k = Keep.BindMemory(f);
                var y = f[1] * x;
                var j = Keep.PokeMemory(1, 5.0);
                return y + k + j;
            }

            // Written through MemoryMarshal.CreateSpan over a ReadOnlySpan view of the parameter.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double WritesThroughReadOnlyView(double x)
            {
                var f = new double[3];
                f[1] = Math.Exp(x);
                var y = f[1] * x;
                var j = Keep.WriteThroughView(f, 1);
                return y + j;
            }

            // A jagged array's row handed to a keeper (the argument is an element, not a local).
            // domain: x=0.2..1.5
            [Differentiable]
            public static double JaggedRowKept(double x)
            {
                var rows = new double[2][];
                rows[0] = new double[3];
                rows[1] = new double[3];
                rows[0][1] = x * x;
                var k = Keep.BindRow(rows[0]);
                var y = rows[0][1] * x;
                var j = Keep.PokeRow(1, 5.0);
                return y + k + j;
            }

            // The array wrapped by a params double[][] parameter.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double ParamsWrapsArray(double x)
            {
                var f = new double[3];
                f[1] = x * x;
                var k = Keep.BindFirst(f, f);
                var y = f[1] * x;
                var j = Keep.PokeRow(1, 5.0);
                return y + k + j;
            }

            // A generic keeper Keep<T>(T[] a).
            // domain: x=0.2..1.5
            [Differentiable]
            public static double GenericKeeps(double x)
            {
                var f = new double[3];
                f[1] = x * x;
                var k = Keep.KeepGeneric(f);
                var y = f[1] * x;
                var j = Keep.PokeAny(1, 5.0);
                return y + k + j;
            }

            // A recursive keeper (keeps at the bottom of the recursion).
            // domain: x=0.2..1.5
            [Differentiable]
            public static double RecursiveKeeps(double x)
            {
                var f = new double[3];
                f[1] = x * x;
                var k = Keep.KeepDeep(f, 3);
                var y = f[1] * x;
                var j = Keep.PokeRow(1, 5.0);
                return y + k + j;
            }

            // An instance method of an object reached through a static field keeps it.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double InstanceKeeps(double x)
            {
                var f = new double[3];
                f[1] = x * x;
                var k = Keeper.Instance.Take(f);
                var y = f[1] * x;
                var j = Keeper.Instance.Poke(1, 5.0);
                return y + k + j;
            }

            // A constructor keeps it (an object creation, not an invocation).
            // domain: x=0.2..1.5
            [Differentiable]
            public static double ConstructorKeeps(double x)
            {
                var f = new double[3];
                f[1] = x * x;
                var k = new Holder(f).Id;
                var y = f[1] * x;
                var j = Keep.PokeRow(1, 5.0);
                return y + k + j;
            }

            // A partial method whose implementation (another file) writes the array.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double PartialMethodWrites(double x)
            {
                var f = new double[3];
                f[1] = x * x;
                var y = f[1] * x;
                var j = KeepSplit.Touch(f, 1);
                return y + j;
            }

            // Kept as an IReadOnlyList<double> view, written back through a cast by PokeView.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double ReadOnlyListKeeps(double x)
            {
                var f = new double[3];
                f[1] = x * x;
                var k = Keep.BindView(f);
                var y = f[1] * x;
                var j = Keep.PokeView(1, 5.0);
                return y + k + j;
            }

            // A statement call (void helper) keeping the array through List<object>.Add.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double StatementCallKeeps(double x)
            {
                var f = new double[3];
                f[1] = x * x;
                Keep.Remember(f);
                var y = f[1] * x;
                var j = Keep.Poke(1, 5.0);
                return y + j;
            }

            // A helper with a ReadOnlySpan parameter that writes through MemoryMarshal.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double ReadOnlySpanParameterWrites(double x)
            {
                var f = new double[3];
                f[1] = Math.Exp(x);
                var y = f[1] * x;
                var j = Keep.WriteReadOnlySpan(f, 1);
                return y + j;
            }

            // a.AsSpan() handed on to a writer.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double AsSpanHandedOn(double x)
            {
                var f = new double[3];
                f[1] = Math.Exp(x);
                var y = f[1] * x;
                var j = Keep.ForwardSpan(f);
                return y + j;
            }

            // Kept as the IEnumerable<double> AsEnumerable returns, written back through a cast.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double AsEnumerableKeeps(double x)
            {
                var f = new double[3];
                f[1] = x * x;
                var k = Keep.BindEnumerable(f);
                var y = f[1] * x;
                var j = Keep.PokeEnumerable(1, 5.0);
                return y + k + j;
            }

            // An extension method keeps its receiver.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double ExtensionKeeps(double x)
            {
                var f = new double[3];
                f[1] = x * x;
                var k = f.KeepExtension();
                var y = f[1] * x;
                var j = Keep.PokeRow(1, 5.0);
                return y + k + j;
            }

            // ---- the escape check: helpers that only read (expected: accepted, gradient right) ----

            // Recursion that only reads, deeper than four calls.
            // domain: p[6]=-1..1 x=-1..1
            [Differentiable]
            public static double RecursiveReader(double[] p, double x)
            {
                var n = Keep.CountFrom(p, 0);
                return ((n + 1) * p[0] * x) + Math.Sin(p[1] * x);
            }

            // Array.IndexOf<T>(T[], T) reads.
            // domain: p[4]=-1..1 x=-1..1
            [Differentiable]
            public static double IndexOfReader(double[] p, double x)
            {
                var n = Keep.IndexOfZero(p);
                return (n * p[0] * x) + (p[2] * p[3]);
            }

            // A params double[] helper handed the array itself.
            // domain: p[4]=-1..1 x=-1..1
            [Differentiable]
            public static double ParamsReader(double[] p, double x)
            {
                var n = Keep.CountPositive(p);
                return ((n + 1) * p[1] * x) + p[0];
            }

            // a.Sum() inside the helper.
            // domain: p[4]=-1..1 x=-1..1
            [Differentiable]
            public static double LinqSumReader(double[] p, double x)
            {
                var n = Keep.SumSign(p);
                return (n * p[1] * x) + (p[3] * p[3]);
            }

            // A copy through Clone, sorted: reads only.
            // domain: p[5]=-1..1 x=-1..1
            [Differentiable]
            public static double CloneReader(double[] p, double x)
            {
                var n = Keep.MedianIndex(p);
                return ((n + 1) * p[0] * x) + (p[4] * p[4]);
            }

            // foreach over a.AsSpan(): reads only.
            // domain: p[4]=-1..1 x=-1..1
            [Differentiable]
            public static double AsSpanReader(double[] p, double x)
            {
                var n = Keep.CountNegative(p);
                return ((n + 1) * p[1] * x) + p[2];
            }

            // foreach over a Vector3[] inside the helper.
            // domain: p[3]=-1..1 x=-1..1
            [Differentiable]
            public static double Vector3Reader(double[] p, double x)
            {
                var vs = new Vector3[3];
                vs[1] = new Vector3(1f, 2f, 3f);
                var b = Keep.Longest(vs);
                return (p[b] * x) + p[0];
            }
        }

        public static partial class R
        {
            // ---- arguments read again at a struct-/tuple-result call's backward ----

            // Tuple deconstructed into locals, stored into the elements the arguments read.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double DeconstructIntoElements(double[] a, double[] b, double dt)
            {
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        var (nx, nv) = H.Step(a[i], b[i], dt);
                        a[i] = nx;
                        b[i] = nv;
                    }
                }

                return (a[0] * b[1]) + (a[2] * b[2]) + a[1];
            }

            // Deconstructed, stored into the elements swapped.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double DeconstructSwapped(double[] a, double[] b, double dt)
            {
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        var (nx, nv) = H.Step(a[i], b[i], dt);
                        b[i] = nx;
                        a[i] = nv;
                    }
                }

                return (a[0] * b[1]) + (a[2] * b[2]) + a[1];
            }

            // Deconstructed, stored into the element and its neighbour, both read as arguments (one array).
            // domain: a[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double DeconstructNeighbour(double[] a, double dt)
            {
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        var (nx, nv) = H.Step(a[i], a[(i + 1) % 3], dt);
                        a[i] = nx;
                        a[(i + 1) % 3] = nv;
                    }
                }

                return (a[0] * a[1]) + (a[2] * a[2]);
            }

            // Both leaves stored into the same element, the second reading the first.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double DeconstructSameElementTwice(double[] a, double[] b, double dt)
            {
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        var (nx, nv) = H.Step(a[i], b[i], dt);
                        a[i] = nx;
                        a[i] = nv * a[i];
                    }
                }

                return (a[0] * b[1]) + (a[2] * a[1]);
            }

            // The element read as the second argument is written after the call in the same iteration.
            // domain: p[6]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double NeighbourWrittenAfterCall(double[] p, double dt)
            {
                var m = new M2[3];
                for (var i = 0; i < 3; i++)
                {
                    m[i].X = p[2 * i];
                    m[i].V = p[(2 * i) + 1];
                }

                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        m[i] = H.Kick(m[i], m[(i + 1) % 3].X, dt);
                        m[(i + 1) % 3].X += 0.1 * m[i].V;
                    }
                }

                return (m[0].X * m[1].V) + (m[2].X * m[2].V) + m[1].X;
            }

            // Two runs per iteration on the same elements.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double TwoRunsSameElement(double[] a, double[] b, double dt)
            {
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        var r = H.Step(a[i], b[i], dt);
                        a[i] = r.X;
                        b[i] = r.V;
                        var s = H.Step(a[i], b[i], dt * 0.5);
                        a[i] = s.X;
                        b[i] = s.V;
                    }
                }

                return (a[0] * b[1]) + (a[2] * b[2]) + a[1];
            }

            // The index is a variable of the outer loop, changed after the inner loop.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double IndexChangedAfterInnerLoop(double[] a, double[] b, double dt)
            {
                var j = 0;
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 2; i++)
                    {
                        var r = H.Step(a[j], b[j], dt);
                        a[j] = r.X;
                        b[j] = r.V;
                    }

                    j = (j + 1) % 3;
                }

                return (a[0] * b[1]) + (a[2] * b[2]) + a[1];
            }

            // The index steps at the top of the body, before the read.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double IndexStepsBeforeRead(double[] a, double[] b, double dt)
            {
                var j = 0;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < 4; i++)
                    {
                        j = (j + 2) % 3;
                        var r = H.Step(a[j], b[j], dt);
                        a[j] = r.X;
                        b[(j + 1) % 3] = r.V;
                    }
                }

                return (a[0] * b[1]) + (a[2] * b[2]) + a[1];
            }

            // An inner loop after the call rewrites the row the call read.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double InnerLoopRewritesRow(double[] a, double[] b, double dt)
            {
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        var r = H.Step(a[i], b[i], dt);
                        a[i] = r.X;
                        b[i] = r.V;
                        for (var k = 0; k < 3; k++)
                        {
                            a[k] = (a[k] * 0.9) + (0.1 * b[i] * b[k]);
                        }
                    }
                }

                return (a[0] * b[1]) + (a[2] * b[2]) + a[1];
            }

            // The call under a branch, the element rewritten in the other branch.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double BranchAroundRun(double[] a, double[] b, double dt)
            {
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        if ((i + t) % 2 == 0)
                        {
                            var r = H.Step(a[i], b[i], dt);
                            a[i] = r.X;
                            b[i] = r.V;
                        }
                        else
                        {
                            a[i] = a[i] * Math.Cos(b[i]);
                        }
                    }
                }

                return (a[0] * b[1]) + (a[2] * b[2]) + a[1];
            }

            // break after the call, a store into the neighbour after the break test.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double BreakThenNeighbourStore(double[] a, double[] b, double dt)
            {
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        var r = H.Step(a[i], b[i], dt);
                        a[i] = r.X;
                        b[i] = r.V;
                        if (t == 1 && i == 1)
                        {
                            break;
                        }

                        a[(i + 1) % 3] = a[(i + 1) % 3] * 0.9;
                    }
                }

                return (a[0] * b[1]) + (a[2] * b[2]) + a[1];
            }

            // continue before the call when the element is negative (a read under a branch).
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double ContinueOnValue(double[] a, double[] b, double dt)
            {
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        if (a[i] < -0.9)
                        {
                            continue;
                        }

                        var r = H.Step(a[i], b[i], dt);
                        a[i] = r.X;
                        b[i] = r.V;
                        a[(i + 2) % 3] = a[(i + 2) % 3] + (0.1 * r.V);
                    }
                }

                return (a[0] * b[1]) + (a[2] * b[2]) + a[1];
            }

            // Early return from inside the loop after the call.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double EarlyReturnInLoop(double[] a, double[] b, double dt)
            {
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        var r = H.Step(a[i], b[i], dt);
                        a[i] = r.X;
                        b[i] = r.V;
                        if (t == 1 && i == 1)
                        {
                            return (a[0] * b[1]) + a[2];
                        }

                        b[(i + 1) % 3] = b[(i + 1) % 3] * a[i];
                    }
                }

                return (a[0] * b[1]) + (a[2] * b[2]) + a[1];
            }

            // Trip counts 0..3 of the calling loop from an int parameter.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2 n=0..3
            [Differentiable]
            public static double ParameterTrips(double[] a, double[] b, double dt, int n)
            {
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < n; i++)
                    {
                        var r = H.Step(a[i], b[i], dt);
                        a[i] = r.X;
                        b[i] = r.V;
                    }

                    a[t] = a[t] * b[t];
                }

                return (a[0] * b[1]) + (a[2] * b[2]) + a[1];
            }

            // One trip of the calling loop.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double OneTrip(double[] a, double[] b, double dt)
            {
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 2; i < 3; i++)
                    {
                        var r = H.Step(a[i], b[i], dt);
                        a[i] = r.X;
                        b[i] = r.V;
                    }

                    b[2] = b[2] + a[0];
                }

                return (a[0] * b[1]) + (a[2] * b[2]) + a[1];
            }

            // A row created again in every outer iteration, read by the call.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double RowReallocatedPerIteration(double[] a, double[] b, double dt)
            {
                var e = 0.0;
                for (var t = 0; t < 3; t++)
                {
                    var row = new double[3];
                    for (var i = 0; i < 3; i++)
                    {
                        row[i] = a[i] + (t * b[i]);
                    }

                    for (var i = 0; i < 3; i++)
                    {
                        var r = H.Step(row[i], b[i], dt);
                        row[i] = r.X;
                        b[i] = r.V;
                    }

                    e += (row[0] * row[1]) + row[2];
                }

                return e + (b[0] * b[2]);
            }

            // A row created outside, reassigned with a new array inside the loop.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double RowReassignedInLoop(double[] a, double[] b, double dt)
            {
                var e = 0.0;
                var row = new double[3];
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        row[i] = row[i] + a[i];
                    }

                    for (var i = 0; i < 3; i++)
                    {
                        var r = H.Step(row[i], b[i], dt);
                        row[i] = r.X;
                        b[i] = r.V;
                    }

                    e += (row[0] * row[1]) + row[2];
                    row = new double[3];
                }

                return e + (b[0] * b[2]);
            }

            // The element partly rewritten after the call (one field).
            // domain: p[6]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double PartlyRewritten(double[] p, double dt)
            {
                var m = new M2[3];
                for (var i = 0; i < 3; i++)
                {
                    m[i].X = p[2 * i];
                    m[i].V = p[(2 * i) + 1];
                }

                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        m[i] = H.Kick(m[i], m[i].V, dt);
                        m[i].V = m[i].V * 0.5;
                    }
                }

                return (m[0].X * m[1].V) + (m[2].X * m[2].V) + m[1].X;
            }

            // The same element read as both arguments.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double SameElementBothArguments(double[] a, double[] b, double dt)
            {
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        var r = H.Step(a[i], a[i], dt);
                        a[i] = r.X;
                        b[i] = r.V + b[i];
                    }
                }

                return (a[0] * b[1]) + (a[2] * b[2]) + a[1];
            }

            // Spring chain: forces into a fresh array, each mass kicked by its force, forces rewritten next step.
            // domain: p[6]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double SpringChainForces(double[] p, double dt)
            {
                var m = new M2[3];
                var f = new double[3];
                for (var i = 0; i < 3; i++)
                {
                    m[i].X = p[2 * i];
                    m[i].V = p[(2 * i) + 1];
                }

                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        f[i] = Math.Sin(m[(i + 1) % 3].X - m[i].X) - (0.5 * m[i].X);
                    }

                    for (var i = 0; i < 3; i++)
                    {
                        m[i] = H.Kick(m[i], f[i], dt);
                        f[(i + 1) % 3] = f[(i + 1) % 3] + (0.1 * m[i].V);
                    }
                }

                return (m[0].X * m[1].V) + (m[2].X * m[2].V) + m[1].X;
            }

            // The element chosen through an index array that is rewritten after the call.
            // domain: p[6]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double IndexArrayRewritten(double[] p, double dt)
            {
                var m = new M2[3];
                var idx = new int[3];
                for (var i = 0; i < 3; i++)
                {
                    m[i].X = p[2 * i];
                    m[i].V = p[(2 * i) + 1];
                    idx[i] = (i + 2) % 3;
                }

                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        m[idx[i]] = H.Kick(m[idx[i]], 1.0, dt);
                        idx[i] = (idx[i] + 1) % 3;
                    }
                }

                return (m[0].X * m[1].V) + (m[2].X * m[2].V) + m[1].X;
            }

            // An inner loop after the call rewrites the whole struct row.
            // domain: p[6]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double InnerLoopRewritesStructRow(double[] p, double dt)
            {
                var m = new M2[3];
                for (var i = 0; i < 3; i++)
                {
                    m[i].X = p[2 * i];
                    m[i].V = p[(2 * i) + 1];
                }

                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        m[i] = H.Kick(m[i], m[i].X, dt);
                        for (var k = 0; k < 3; k++)
                        {
                            m[k].V = (m[k].V * 0.99) + (0.01 * m[i].X);
                        }
                    }
                }

                return (m[0].X * m[1].V) + (m[2].X * m[2].V) + m[1].X;
            }

            // n-body-like: the call reads two bodies, writes back one, the other body is updated later.
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double PairsWriteBack(double[] a, double[] b, double dt)
            {
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        for (var j = i + 1; j < 3; j++)
                        {
                            var r = H.Step(a[i] - a[j], b[j], dt);
                            b[j] = r.V;
                            a[i] = a[i] + (dt * r.X);
                        }
                    }
                }

                return (a[0] * b[1]) + (a[2] * b[2]) + a[1];
            }

            // A [NoGrad] parameter array read as an argument and written with the call's result.
            // domain: a[3]=-1..1 q[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double NoGradArrayWritten(double[] a, [NoGrad] double[] q, double dt)
            {
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        var r = H.Step(a[i], q[i], dt);
                        a[i] = r.X;
                        q[i] = r.V;
                    }
                }

                return (a[0] * q[1]) + (a[2] * q[2]) + a[1];
            }

            // Parameter array as both read and written under two index expressions (i and n - 1 - i).
            // domain: a[4]=-1..1 b[4]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double MirrorIndices(double[] a, double[] b, double dt)
            {
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < 4; i++)
                    {
                        var r = H.Step(a[i], b[3 - i], dt);
                        a[3 - i] = r.X;
                        b[i] = r.V;
                    }
                }

                return (a[0] * b[1]) + (a[2] * b[3]) + a[1];
            }
        }

        public static partial class G
        {
            // ---- GMM-like loops reversed in forward order ----

            // The integer step reads the accumulator.
            // domain: q[40]=-1..1 x[4]=-1..1
            [Differentiable]
            public static double StepReadsAccumulator(double[] q, double[] x)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    var s = x[i];
                    var lower = i;
                    for (var col = 0; col < 4; col++)
                    {
                        s += q[lower] * x[col];
                        lower += 1 + ((int)(s * s) % 3);
                    }

                    total += Math.Exp(-0.5 * s * s);
                }

                return total;
            }

            // The integer step reads an int local changed after the loop.
            // domain: q[12]=-1..1 x[4]=-1..1
            [Differentiable]
            public static double StepReadsIntChangedAfter(double[] q, double[] x)
            {
                var total = 0.0;
                var m = 1;
                for (var i = 0; i < 3; i++)
                {
                    var s = 0.0;
                    var lower = i;
                    for (var col = 0; col < 3; col++)
                    {
                        s += q[lower] * x[col];
                        lower += m;
                    }

                    m = (m % 2) + 1;
                    total += Math.Sin(s) * x[3];
                }

                return total;
            }

            // The condition reads the stepped integer, not the counter.
            // domain: q[12]=-1..1 x[6]=-1..1 limit=5..11
            [Differentiable]
            public static double ConditionOnStepped(double[] q, double[] x, int limit)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    var s = x[i];
                    var lower = i;
                    var col = 0;
                    while (lower < limit)
                    {
                        s += q[lower] * x[col];
                        lower += col + 1;
                        col++;
                    }

                    total += s * s;
                }

                return total;
            }

            // The step reads a [NoGrad] double parameter (cast) and the start reads the outer index.
            // domain: q[16]=-1..1 x[4]=-1..1 c=1.0..1.9
            [Differentiable]
            public static double StepReadsCastParameter(double[] q, double[] x, [NoGrad] double c)
            {
                var total = 0.0;
                for (var i = 0; i < 3; i++)
                {
                    var s = 0.0;
                    var lower = i * 2;
                    for (var col = i; col < 4; col++)
                    {
                        s += q[lower] * x[col] * x[col];
                        lower += (int)(c * 2.0);
                    }

                    total += Math.Tanh(s);
                }

                return total;
            }

            // The step reads an int local and the counter; the bound reads the outer index.
            // domain: q[16]=-1..1 x[4]=-1..1
            [Differentiable]
            public static double StepReadsCounterAndOuter(double[] q, double[] x)
            {
                var total = 0.0;
                var d = 4;
                for (var i = 0; i < 3; i++)
                {
                    var s = x[i];
                    var lower = i;
                    for (var col = 0; col < d - i; col++)
                    {
                        s -= q[lower] * x[col + i];
                        lower += d - col - 1;
                    }

                    total += s * s * x[3];
                }

                return total;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Helpers, SplitHelper, Source }, s_methods));

    /// <summary>The cases expected refused with one SG1002, and a fragment of its message.</summary>
    private static readonly Dictionary<string, string> s_refused = new()
    {
        ["E.ObjectListKeeps"] = "'Bind' keeps or writes its parameter 'a'",
        ["E.ReadOnlyMemoryKeeps"] = "'BindMemory' keeps or writes its parameter 'a'",
        ["E.WritesThroughReadOnlyView"] = "'WriteThroughView' keeps or writes its parameter 'a'",
        ["E.JaggedRowKept"] = "a row of a jagged array as a value",
        ["E.ParamsWrapsArray"] = "passing a jagged array to a method that is not [Differentiable]",
        ["E.GenericKeeps"] = "'KeepGeneric' keeps or writes its parameter 'a'",
        ["E.RecursiveKeeps"] = "'KeepDeep' keeps or writes its parameter 'a'",
        ["E.InstanceKeeps"] = "'Take' keeps or writes its parameter 'a'",
        ["E.ConstructorKeeps"] = "reads of members of other objects",
        ["E.ReadOnlyListKeeps"] = "'BindView' keeps or writes its parameter",
        ["E.AsEnumerableKeeps"] = "'BindEnumerable' keeps or writes its parameter 'a'",
        ["E.ExtensionKeeps"] = "'KeepExtension' keeps or writes its parameter 'a'",
        ["E.StatementCallKeeps"] = "'f' is passed as a writable array or span",
        ["E.ReadOnlySpanParameterWrites"] = "'WriteReadOnlySpan'",
        ["E.AsSpanHandedOn"] = "'ForwardSpan' keeps or writes its parameter 'a'",
        ["E.PartialMethodWrites"] = "'Touch' keeps or writes its parameter 'a'",
    };

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => !s_refused.ContainsKey(m.Key)));

    public static TheoryData<string> RefusedMethods() => new(s_refused.Keys);

    [Theory]
    [MemberData(nameof(RefusedMethods))]
    public void A_helper_keeping_or_writing_the_array_is_one_error(string key)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Failures.TryGetValue(key, out var reason), key + " was accepted\n" + (batch.GeneratedSource.TryGetValue(key, out var g) ? g : string.Empty));
        Assert.Single(reason.Split('\n'), line => line.Contains("SG1002", StringComparison.Ordinal) && line.Contains(s_refused[key], StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }
}
