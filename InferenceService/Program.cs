using LlmSuite.InferenceService.Cli;

if (args is ["generate", .. var rest])
{
    return GenerateCommand.Run(rest, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddInferenceServices(args);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapInferenceApis();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the tests.</summary>
public partial class Program;
