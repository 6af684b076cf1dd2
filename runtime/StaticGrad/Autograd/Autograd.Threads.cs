namespace StaticGrad;

public static partial class Autograd
{
    private static int s_numThreads = Environment.ProcessorCount;

    /// <summary>
    /// The number of threads the runtime's kernels may use (PyTorch's <c>torch.get_num_threads()</c> /
    /// <c>torch.set_num_threads(n)</c>). Defaults to <see cref="Environment.ProcessorCount"/>, which honours
    /// <c>DOTNET_PROCESSOR_COUNT</c>; 1 runs every kernel on the calling thread. Results do not depend on it: kernels
    /// split work so that each element is computed in the same order whatever the count.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int NumThreads
    {
        get => s_numThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            s_numThreads = value;
        }
    }
}
