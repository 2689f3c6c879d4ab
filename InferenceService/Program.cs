using LlmSuite.InferenceService.Cli;

if (args is ["generate", .. var rest])
{
    return GenerateCommand.Run(rest, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var app = builder.Build();
app.MapDefaultEndpoints();
await app.RunAsync();
return 0;
