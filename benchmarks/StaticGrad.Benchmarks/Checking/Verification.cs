using StaticGrad.Benchmarks.CompileTime;
using StaticGrad.Benchmarks.Workloads.Ba;
using StaticGrad.Benchmarks.Workloads.BlackScholes;
using StaticGrad.Benchmarks.Workloads.Gmm;
using StaticGrad.Benchmarks.Workloads.Lifted;
using StaticGrad.Benchmarks.Workloads.Lstm;
using StaticGrad.Benchmarks.Workloads.Mlp;
using StaticGrad.Benchmarks.Workloads.NBody;
using StaticGrad.Benchmarks.Workloads.Ode;
using StaticGrad.Benchmarks.Workloads.Rosenbrock;
using StaticGrad.Benchmarks.Workloads.Springs;

namespace StaticGrad.Benchmarks.Checking;

/// <summary>All workloads' checks, in the order the suite times them.</summary>
public static class Verification
{
    public static void RunAll(Verifier verifier, string? dataDirectory)
    {
        GmmChecks.Run(verifier, dataDirectory);
        RosenbrockChecks.Run(verifier);
        BlackScholesChecks.Run(verifier);
        MlpChecks.Run(verifier);
        GeneratorChecks.Run(verifier);
        LiftedChecks.Run(verifier);
        BaChecks.Run(verifier, dataDirectory);
        LstmChecks.Run(verifier);
        OdeChecks.Run(verifier);
        NBodyChecks.Run(verifier);
        SpringChecks.Run(verifier);
    }
}
