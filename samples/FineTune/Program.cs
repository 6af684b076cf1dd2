Console.WriteLine("The FineTune sample is being written.");
