// Render the chat template of models/default with @huggingface/jinja (tests/js) for the messages in a JSON file.
// usage: node verify_template.mjs <model dir> <json file: list of message lists>
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
const here = dirname(fileURLToPath(import.meta.url));
const { Template } = await import(join(here, "../../tests/js/node_modules/@huggingface/jinja/dist/index.js"));
const [modelDir, inputFile] = process.argv.slice(2);
const cfg = JSON.parse(readFileSync(join(modelDir, "tokenizer_config.json"), "utf8"));
const t = new Template(cfg.chat_template);
const convs = JSON.parse(readFileSync(inputFile, "utf8"));
console.log(JSON.stringify(convs.map((m) => [t.render({ messages: m, add_generation_prompt: false }),
                                             t.render({ messages: m, add_generation_prompt: true })])));
