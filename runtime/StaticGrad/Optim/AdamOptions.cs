namespace StaticGrad.Optim;

/// <summary>The hyperparameters of <see cref="Adam"/>, validated with PyTorch's messages.</summary>
internal readonly record struct AdamOptions(
    double Lr, double Beta1, double Beta2, double Eps, double WeightDecay, bool Amsgrad, bool Maximize, bool DecoupledWeightDecay)
{
    public AdamOptions Validated()
    {
        if (!(Lr >= 0))
        {
            throw new ArgumentException(OptimizerMessages.Invalid("learning rate", Lr), "lr");
        }

        if (!(Eps >= 0))
        {
            throw new ArgumentException(OptimizerMessages.Invalid("epsilon value", Eps), "eps");
        }

        if (!(Beta1 >= 0 && Beta1 < 1))
        {
            throw new ArgumentException(OptimizerMessages.Invalid("beta parameter at index 0", Beta1), "beta1");
        }

        if (!(Beta2 >= 0 && Beta2 < 1))
        {
            throw new ArgumentException(OptimizerMessages.Invalid("beta parameter at index 1", Beta2), "beta2");
        }

        if (!(WeightDecay >= 0))
        {
            throw new ArgumentException(OptimizerMessages.Invalid("weight_decay value", WeightDecay), "weightDecay");
        }

        return this;
    }
}
