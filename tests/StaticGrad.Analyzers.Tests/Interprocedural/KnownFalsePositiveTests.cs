using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.Interprocedural;

/// <summary>
/// The false positives found by session 17's review (present before it), each a program that runs fine at run time
/// and was reported: (1) a <c>foreach</c> over a user collection whose <c>GetEnumerator</c> turns grad mode on, read
/// through the mode-free summary; (2) a tensor handed to a generic helper as <c>T</c>; (3) code after a helper that
/// never returns; (4) <c>Sequential</c> running a user child's <c>Forward</c>; (5) a grad-mode scope passed or returned
/// as <c>IDisposable</c> and disposed elsewhere; (6) a static constructor reached through a method call. Every case
/// sits in its own class of one program per library (one compilation each; the shared cases are written once and
/// respelled for TorchSharp), with variations, and with at least one case per kind where the report is right and
/// stays (marked). The unmarked cases were reported at 18e3689 (session 17's merge), except variations that held
/// there and must keep holding: PatternEnumerator, FrozenThroughAConstrainedT, ThroughACreationInAHelper and
/// TorchSharp's Sequential (not a library layer for the analysis).
/// </summary>
public class KnownFalsePositiveTests
{
    /// <summary>Cases (1): a <c>foreach</c> over a user collection whose enumerator sets the grad mode (StaticGrad spelling; <see cref="TorchSharp"/> translates).</summary>
    private const string Enumerators = """
        // ---------------------------------------------------------------- (1) foreach over a user collection

        public sealed class OnBag : IEnumerable<int>
        {
            public IEnumerator<int> GetEnumerator()
            {
                Autograd.SetGradEnabled(true);
                return new List<int> { 1, 2 }.GetEnumerator();
            }

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }

        public sealed class OffBag : IEnumerable<int>
        {
            public IEnumerator<int> GetEnumerator()
            {
                Autograd.SetGradEnabled(false);
                return new List<int> { 1, 2 }.GetEnumerator();
            }

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }

        public sealed class Steps
        {
            public StepEnumerator GetEnumerator() => new StepEnumerator();
        }

        public sealed class StepEnumerator
        {
            private int _i;

            public int Current => _i;

            public bool MoveNext()
            {
                Autograd.SetGradEnabled(true);
                return ++_i < 3;
            }
        }

        public static class Bags
        {
            public static int Count(OnBag items)
            {
                var n = 0;
                foreach (var i in items)
                {
                    n += i;
                }

                return n;
            }

            public static int Count(OffBag items)
            {
                var n = 0;
                foreach (var i in items)
                {
                    n += i;
                }

                return n;
            }

            public static int Walk(Steps steps)
            {
                var n = 0;
                foreach (var i in steps)
                {
                    n += i;
                }

                return n;
            }
        }

        public static class Enumerated
        {
            public static void Constant()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                Autograd.SetGradEnabled(false);
                var n = Bags.Count(new OnBag());
                var y = (w * n).Sum();
                y.Backward();
            }

            public static void PatternEnumerator()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                Autograd.SetGradEnabled(false);
                var n = Bags.Walk(new Steps());
                var y = (w * n).Sum();
                y.Backward();
            }

            public static void InALoop(int epochs)
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                for (var e = 0; e < epochs; e++)
                {
                    Autograd.SetGradEnabled(false);
                    var n = Bags.Count(new OnBag());
                    var y = (w * n).Sum();
                    y.Backward();
                }
            }

            public static void TurnedOffIsRight()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var n = Bags.Count(new OffBag());
                var y = (w * n).Sum();
                {|SG0002:y.Backward()|};
            }
        }

        """;

    /// <summary>Cases (2): a tensor handed to a generic helper as <c>T</c>.</summary>
    private const string GenericHelpers = """
        // ---------------------------------------------------------------- (2) a tensor handed to a generic helper as T

        public sealed class Box<T>
        {
            private T? _item;

            public void Put(T item) => _item = item;

            public T Get() => _item!;
        }

        public static class Stash
        {
            private static object? _kept;

            public static void Keep<T>(T value) => _kept = value;

            public static void Thaw() => ((Tensor)_kept!).RequiresGrad = true;

            public static T Same<T>(T value) => value;
        }

        public static class Generic
        {
            public static void ThawedThroughTheBox()
            {
                var c = Tensor.FromArray(new[] { 1.0, 2.0 });
                var box = new Box<Tensor>();
                box.Put(c);
                box.Get().RequiresGrad = true;
                var y = (c * 2.0).Sum();
                y.Backward();
            }

            public static void ThawedThroughAGenericMethod()
            {
                var c = Tensor.FromArray(new[] { 1.0, 2.0 });
                Stash.Keep(c);
                Stash.Thaw();
                var y = (c * 2.0).Sum();
                y.Backward();
            }

            public static void OtherTensorIsRight()
            {
                var c = Tensor.FromArray(new[] { 1.0, 2.0 });
                var d = Tensor.FromArray(new[] { 3.0, 4.0 });
                Stash.Keep(c);
                Stash.Thaw();
                var y = (d * 2.0).Sum();
                {|SG0002:y.Backward()|};
            }

            public static void IdentityIsRight()
            {
                var d = Tensor.FromArray(new[] { 3.0, 4.0 });
                var y = (Stash.Same(d) * 2.0).Sum();
                {|SG0002:y.Backward()|};
            }
        }

        """;

    /// <summary>Cases (3): code after a helper that never returns.</summary>
    private const string NeverReturning = """
        // ---------------------------------------------------------------- (3) a helper that never returns

        public static class Never
        {
            public static void Spin()
            {
                while (true)
                {
                }
            }

            public static void Fail() => throw new InvalidOperationException("stop");

            public static void Serve()
            {
                Console.WriteLine("serving");
                Spin();
            }

            public static void Wait(int n)
            {
                while (n > 0)
                {
                    n--;
                }
            }

            public static Tensor Make(bool ok)
            {
                if (!ok)
                {
                    Fail();
                }

                return Tensor.FromArray(new[] { 1.0 });
            }
        }

        public static class Unreached
        {
            public static void AfterSpin()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var y = (w * w).Sum();
                y.Backward();
                Never.Spin();
                y.Backward();
            }

            public static void AfterThrow()
            {
                var c = Tensor.FromArray(new[] { 1.0, 2.0 });
                Never.Fail();
                var y = (c * 2.0).Sum();
                y.Backward();
            }

            public static void AfterANestedSpin()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var y = (w * w).Sum();
                y.Backward();
                Never.Serve();
                y.Backward();
            }

            public static void AfterAReturningWaitIsRight()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var y = (w * w).Sum();
                y.Backward();
                Never.Wait(3);
                {|SG0005:y.Backward()|};
            }

            public static void OnOnePathOnlyIsRight(bool flag)
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var y = (w * w).Sum();
                y.Backward();
                if (flag)
                {
                    Never.Spin();
                }

                {|SG0005:y.Backward()|};
            }

            public static void AHelperThatMayThrowIsRight()
            {
                var c = Never.Make(true);
                var y = (c * 2.0).Sum();
                {|SG0002:y.Backward()|};
            }
        }

        """;

    /// <summary>Cases (5): a grad-mode scope returned, passed or held as <c>IDisposable</c> and disposed elsewhere.</summary>
    private const string ScopesAsDisposable = """
        // ---------------------------------------------------------------- (5) a grad-mode scope as IDisposable

        public static class Scopes
        {
            public static IDisposable Off() => Autograd.NoGrad();

            public static void Close(IDisposable scope) => scope.Dispose();

            public static void CloseAll(object scope) => ((IDisposable)scope).Dispose();
        }

        public sealed class Session
        {
            private IDisposable? _scope;

            public void Begin() => _scope = Autograd.NoGrad();

            public void End() => _scope?.Dispose();
        }

        public static class Disposed
        {
            public static void Returned()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var scope = Scopes.Off();
                scope.Dispose();
                var y = (w * 2.0).Sum();
                y.Backward();
            }

            public static void Passed()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var scope = Autograd.NoGrad();
                Scopes.Close(scope);
                var y = (w * 2.0).Sum();
                y.Backward();
            }

            public static void PassedAsObject()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                IDisposable scope = Autograd.NoGrad();
                Scopes.CloseAll(scope);
                var y = (w * 2.0).Sum();
                y.Backward();
            }

            public static void HeldByAnObject()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var session = new Session();
                session.Begin();
                session.End();
                var y = (w * 2.0).Sum();
                y.Backward();
            }

            public static void StillOpenIsRight()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var scope = Scopes.Off();
                var y = (w * 2.0).Sum();
                {|SG0002:y.Backward()|};
                scope.Dispose();
            }
        }

        """;

    /// <summary>Cases (6): a static constructor or initializer reached through a call.</summary>
    private const string StaticInitializers = """
        // ---------------------------------------------------------------- (6) a static constructor reached through a call

        public static class Config
        {
            static Config() { Autograd.SetGradEnabled(true); }

            public static int Seed() => 1;
        }

        public static class Sizes
        {
            public static readonly int Width = Init();

            private static int Init()
            {
                Autograd.SetGradEnabled(true);
                return 2;
            }
        }

        public sealed class Model
        {
            static Model() { Autograd.SetGradEnabled(true); }

            public int Width() => 2;
        }

        public static class Reads
        {
            public static int Width() => Sizes.Width;

            public static int Make() => new Model().Width();
        }

        public static class Initialized
        {
            public static void ThroughAStaticMethod()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                Autograd.SetGradEnabled(false);
                var s = Config.Seed();
                var y = (w * s).Sum();
                y.Backward();
            }

            public static void ThroughAFieldInAHelper()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                Autograd.SetGradEnabled(false);
                var s = Reads.Width();
                var y = (w * s).Sum();
                y.Backward();
            }

            public static void ThroughACreationInAHelper()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                Autograd.SetGradEnabled(false);
                var s = Reads.Make();
                var y = (w * s).Sum();
                y.Backward();
            }

            public static void TurnedOffAfterwardsIsRight()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var s = Config.Seed();
                Autograd.SetGradEnabled(false);
                var y = (w * s).Sum();
                {|SG0002:y.Backward()|};
            }
        }

        """;

    /// <summary>StaticGrad's own cases: a constrained <c>T</c> (2), and <c>Sequential</c> running a user child's <c>Forward</c> (4).</summary>
    private const string StaticGradOnly = """
        // ---------------------------------------------------------------- (2) through a constrained T (StaticGrad's Tensor is not sealed)

        public static class Constrained
        {
            public static void Freeze<T>(T value) where T : Tensor => value.RequiresGrad = false;

            public static void FrozenThroughAConstrainedT()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                Freeze(w);
                w.AddInPlace(1.0);
            }
        }

        // ---------------------------------------------------------------- (4) Sequential running a user child's Forward

        public sealed class GradOn : Module
        {
            public override Tensor Forward(Tensor x)
            {
                Autograd.SetGradEnabled(true);
                return x;
            }
        }

        public sealed class Thaw : Module
        {
            public static Tensor? Target;

            public override Tensor Forward(Tensor x)
            {
                Target!.RequiresGrad = true;
                return x;
            }
        }

        public static class Chains
        {
            public static void ChildTurnsGradOn()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var net = new Sequential(new Linear(2, 2), new GradOn());
                Autograd.SetGradEnabled(false);
                var h = net.Forward(Tensor.Ones(new[] { 1, 2 }));
                var y = (w * 2.0).Sum();
                y.Backward();
            }

            public static void ChildThawsATensor()
            {
                var c = Tensor.FromArray(new[] { 1.0, 2.0 });
                Thaw.Target = c;
                var net = new Sequential(new Thaw());
                var h = net.Forward(Tensor.Ones(new[] { 1, 2 }));
                var y = (c * 2.0).Sum();
                y.Backward();
            }

            public static void ChildAddedLater()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var net = new Sequential();
                net.Add(new GradOn());
                Autograd.SetGradEnabled(false);
                var h = net.Forward(Tensor.Ones(new[] { 1, 2 }));
                var y = (w * 2.0).Sum();
                y.Backward();
            }

            public static void LibraryLayerIsRight()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var layer = new Linear(2, 2);
                Autograd.SetGradEnabled(false);
                var h = layer.Forward(Tensor.Ones(new[] { 1, 2 }));
                var y = (w * 2.0).Sum();
                {|SG0002:y.Backward()|};
            }
        }

        """;

    /// <summary>TorchSharp's own cases: <c>nn.Sequential</c> running a user child's <c>forward</c> (4).</summary>
    private const string TorchSharpOnly = """
        // ---------------------------------------------------------------- (4) Sequential running a user child's forward

        public sealed class GradOn : nn.Module<Tensor, Tensor>
        {
            public GradOn() : base("grad_on") { }

            public override Tensor forward(Tensor x)
            {
                torch.set_grad_enabled(true);
                return x;
            }
        }

        public static class Chains
        {
            public static void ChildTurnsGradOn()
            {
                var w = torch.ones(2, requires_grad: true);
                var net = nn.Sequential(("fc", nn.Linear(2, 2)), ("on", new GradOn()));
                torch.set_grad_enabled(false);
                var h = net.forward(torch.ones(1, 2));
                var y = (w * 2.0).sum();
                y.backward();
            }

            public static void UnderNoGrad()
            {
                var x = torch.ones(1, 2);
                var net = nn.Sequential(("on", new GradOn()), ("fc", nn.Linear(2, 2)));
                Tensor h;
                using (torch.no_grad())
                {
                    h = net.forward(x);
                }

                h.sum().backward();
            }

            public static void LibraryLayerIsRight()
            {
                var w = torch.ones(2, requires_grad: true);
                var layer = nn.Linear(2, 2);
                torch.set_grad_enabled(false);
                var h = layer.forward(torch.ones(1, 2));
                var y = (w * 2.0).sum();
                {|SG0002:y.backward()|};
            }
        }

        """;

    private static string Shared => Enumerators + GenericHelpers + NeverReturning + ScopesAsDisposable + StaticInitializers;

    [Fact]
    public Task StaticGrad_programs_that_run_fine_are_not_reported() => Verify.VerifyAsync("""
        using System;
        using System.Collections;
        using System.Collections.Generic;
        using StaticGrad;
        using StaticGrad.Nn;

        """ + Shared + StaticGradOnly);

    [Fact]
    public Task TorchSharp_programs_that_run_fine_are_not_reported() => Verify.VerifyTorchSharpAsync("""
        using System;
        using System.Collections;
        using System.Collections.Generic;
        using TorchSharp;
        using static TorchSharp.torch;

        """ + TorchSharp(Shared) + TorchSharpOnly);

    /// <summary>The shared cases in TorchSharp's names (the markup is kept: only the calls are respelled).</summary>
    private static string TorchSharp(string cases) => cases
        .Replace("Autograd.SetGradEnabled(", "torch.set_grad_enabled(")
        .Replace("Autograd.NoGrad()", "torch.no_grad()")
        .Replace("Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true)", "torch.ones(2, requires_grad: true)")
        .Replace("Tensor.FromArray(new[] { 1.0, 2.0 })", "torch.ones(2)")
        .Replace("Tensor.FromArray(new[] { 3.0, 4.0 })", "torch.ones(2)")
        .Replace("Tensor.FromArray(new[] { 1.0 })", "torch.ones(1)")
        .Replace(".Sum()", ".sum()")
        .Replace(".Backward()", ".backward()")
        .Replace(".RequiresGrad", ".requires_grad");
}
