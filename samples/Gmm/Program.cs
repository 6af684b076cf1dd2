Console.WriteLine("The Gmm sample is being written.");
