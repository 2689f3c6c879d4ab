// Drives a running server with the official npm `ollama` package, unmodified, and prints one JSON object with what
// it saw. Usage: node ollama-client.mjs <baseUrl> <model>
import { Ollama } from 'ollama';

const [host, model] = process.argv.slice(2);
const ollama = new Ollama({ host });
const result = {};

const chat = await ollama.chat({ model, messages: [{ role: 'user', content: 'Hello!' }], options: { num_predict: 8, temperature: 0 } });
result.chat = { text: chat.message.content, role: chat.message.role, done: chat.done, doneReason: chat.done_reason, promptEvalCount: chat.prompt_eval_count, evalCount: chat.eval_count, totalDuration: chat.total_duration };

let streamed = '', parts = 0, last = null;
for await (const part of await ollama.chat({ model, messages: [{ role: 'user', content: 'Hello!' }], stream: true, options: { num_predict: 8, temperature: 0 } })) {
  parts++;
  streamed += part.message.content;
  last = part;
}
result.stream = { text: streamed, parts, done: last.done, evalCount: last.eval_count };

const generated = await ollama.generate({ model, prompt: 'Once upon a time', raw: true, options: { num_predict: 5, temperature: 0 } });
result.generate = { text: generated.response, done: generated.done, evalCount: generated.eval_count };

result.tags = (await ollama.list()).models.map(m => m.name);
result.version = (await ollama.version()).version;
try {
  await ollama.chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] });
  result.error = null;
} catch (e) {
  result.error = { name: e.constructor.name, status: e.status_code ?? null, message: e.message };
}
console.log(JSON.stringify(result));
