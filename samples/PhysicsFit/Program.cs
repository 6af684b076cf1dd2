Console.WriteLine("The PhysicsFit sample is being written.");
