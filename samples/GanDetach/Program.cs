Console.WriteLine("The GanDetach sample is being written.");
