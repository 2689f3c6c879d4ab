// The gateway: YARP in front of the inference/embedding replicas (service discovery), cache-aware balancing,
// Redis prompt cache, API keys and per-key limits. Point OpenAI/Ollama clients at this service.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGateway();
app.Run();
