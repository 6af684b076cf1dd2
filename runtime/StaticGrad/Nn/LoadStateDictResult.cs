namespace StaticGrad.Nn;

/// <summary>What <see cref="Module.LoadStateDict"/> did not match (PyTorch's <c>_IncompatibleKeys</c>).</summary>
/// <param name="MissingKeys">Keys of the module that the state dict lacked; those tensors kept their values.</param>
/// <param name="UnexpectedKeys">Keys of the state dict that the module does not have; they were ignored.</param>
public sealed record LoadStateDictResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);
