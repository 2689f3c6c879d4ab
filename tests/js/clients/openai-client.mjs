// Drives a running server with the official npm `openai` package, unmodified, and prints one JSON object with what
// it saw. Usage: node openai-client.mjs <baseUrl> <model>   (baseUrl without /v1)
import OpenAI from 'openai';

const [baseUrl, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'not-needed', maxRetries: 0 });
const result = {};

const chat = await client.chat.completions.create({
  model, messages: [{ role: 'user', content: 'Hello!' }], max_tokens: 8, temperature: 0,
});
result.chat = { text: chat.choices[0].message.content, finish: chat.choices[0].finish_reason, usage: chat.usage };

const stream = await client.chat.completions.create({
  model, messages: [{ role: 'user', content: 'Hello!' }], max_tokens: 8, temperature: 0, stream: true,
  stream_options: { include_usage: true },
});
let streamed = '', streamFinish = null, streamUsage = null, chunks = 0;
for await (const chunk of stream) {
  chunks++;
  if (chunk.usage) streamUsage = chunk.usage;
  for (const c of chunk.choices) {
    streamed += c.delta?.content ?? '';
    streamFinish = c.finish_reason ?? streamFinish;
  }
}
result.stream = { text: streamed, finish: streamFinish, usage: streamUsage, chunks };

const completion = await client.completions.create({ model, prompt: 'Once upon a time', max_tokens: 5, temperature: 0 });
result.completion = { text: completion.choices[0].text, finish: completion.choices[0].finish_reason, usage: completion.usage };

const models = [];
for await (const m of client.models.list()) models.push(m.id);
result.models = models;

try {
  await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }], temperature: -1 });
  result.error = null;
} catch (e) {
  result.error = { name: e.constructor.name, status: e.status, param: e.param ?? e.error?.param ?? null, message: e.message };
}
try {
  await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] });
  result.notFound = null;
} catch (e) {
  result.notFound = { name: e.constructor.name, status: e.status };
}
console.log(JSON.stringify(result));
