using System.Globalization;
using System.Text;

namespace StaticGrad;

/// <summary>
/// Compares the gradients computed by backward with central finite differences (PyTorch's
/// <c>torch.autograd.gradcheck</c>). Use float64 inputs: float32 differences are too noisy for tight tolerances.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Checks every element of the Jacobian of <paramref name="function"/> at <paramref name="inputs"/> for the inputs
    /// that require grad: the analytical entry <c>a</c> (from <see cref="Autograd.Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, bool?, bool, bool)"/>)
    /// against the numerical one <c>n = (f(x+eps) − f(x−eps)) / 2eps</c>, passing when <c>|a − n| ≤ atol + rtol·|n|</c>.
    /// </summary>
    /// <param name="function">The function; it must be deterministic and must not modify its inputs.</param>
    /// <param name="inputs">The inputs; those that require grad are checked.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">The absolute tolerance.</param>
    /// <param name="rtol">The relative tolerance.</param>
    /// <param name="raiseException">Throw with the report when the check fails (otherwise return the failed result).</param>
    /// <returns>The result, with the largest error and a report of the mismatches.</returns>
    /// <exception cref="InvalidOperationException">The check failed and <paramref name="raiseException"/> is true.</exception>
    public static GradCheckResult Check(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raiseException = true)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        var checkedInputs = inputs.Where(t => t.RequiresGrad).ToArray();
        if (checkedInputs.Length == 0)
        {
            throw new ArgumentException("gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.", nameof(inputs));
        }

        var output = function(inputs);
        int outCount = output.NumElements;
        var analytical = new double[checkedInputs.Length][][];
        for (int i = 0; i < checkedInputs.Length; i++)
        {
            analytical[i] = new double[outCount][];
        }

        for (int j = 0; j < outCount; j++)
        {
            var seed = Tensor.ZerosLike(output);
            seed._storage.SetDouble(j, 1.0);
            var grads = output.RequiresGrad
                ? Autograd.Grad(new[] { output }, checkedInputs, new Tensor?[] { seed }, retainGraph: true, allowUnused: true)
                : new Tensor?[checkedInputs.Length];
            for (int i = 0; i < checkedInputs.Length; i++)
            {
                analytical[i][j] = grads[i]?.ToArray() ?? new double[checkedInputs[i].NumElements];
            }
        }

        var report = new StringBuilder();
        double maxError = 0;
        int mismatches = 0;
        for (int i = 0; i < checkedInputs.Length; i++)
        {
            var x = checkedInputs[i];
            var probe = x.Detach();
            for (int k = 0; k < x.NumElements; k++)
            {
                int offset = StorageOffset(probe, k);
                double original = probe._storage.GetDouble(offset);
                double[] plus, minus;
                using (Autograd.NoGrad())
                {
                    probe._storage.SetDouble(offset, original + eps);
                    plus = function(inputs).ToArray();
                    probe._storage.SetDouble(offset, original - eps);
                    minus = function(inputs).ToArray();
                    probe._storage.SetDouble(offset, original);
                }

                for (int j = 0; j < outCount; j++)
                {
                    double numerical = (plus[j] - minus[j]) / (2 * eps);
                    double a = analytical[i][j][k];
                    double error = Math.Abs(a - numerical);
                    maxError = Math.Max(maxError, error);
                    if (!(error <= atol + rtol * Math.Abs(numerical)))
                    {
                        if (mismatches++ < 20)
                        {
                            report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                                $"input {Array.IndexOf(inputs, x)}, element {k}, output element {j}: analytical {a:R}, numerical {numerical:R}, error {error:R}"));
                        }
                    }
                }
            }
        }

        var result = new GradCheckResult(mismatches == 0, maxError, mismatches, report.ToString());
        if (!result.Passed && raiseException)
        {
            throw new InvalidOperationException("Jacobian mismatch (gradcheck failed):" + Environment.NewLine + result.Report);
        }

        return result;
    }

    private static int StorageOffset(Tensor t, int flatIndex)
    {
        int offset = t._offset;
        for (int d = t.Dim - 1; d >= 0; d--)
        {
            int size = t._shape[d];
            offset += flatIndex % size * t._strides[d];
            flatIndex /= size;
        }

        return offset;
    }
}

/// <summary>The outcome of <see cref="GradCheck.Check"/>.</summary>
public sealed class GradCheckResult
{
    internal GradCheckResult(bool passed, double maxAbsoluteError, int mismatchCount, string report)
    {
        Passed = passed;
        MaxAbsoluteError = maxAbsoluteError;
        MismatchCount = mismatchCount;
        Report = report;
    }

    /// <summary>Whether every Jacobian entry was within tolerance.</summary>
    public bool Passed { get; }

    /// <summary>The largest |analytical − numerical| over all entries.</summary>
    public double MaxAbsoluteError { get; }

    /// <summary>The number of entries out of tolerance.</summary>
    public int MismatchCount { get; }

    /// <summary>One line per mismatch (the first 20): input, element, both values and the error.</summary>
    public string Report { get; }
}
