using LlmSuite.EngineBench;

// EngineBench: `dotnet run -c Release --project bench/EngineBench -- <verb> [options]`.
// Each verb is one benchmark suite; add a new one to Verbs.All (e.g. a model-level "decode" verb).
return Verbs.Run(args);
