// Encode/decode strings with the JS reference tokenizer (@lenml/tokenizers) installed in tests/js.
// usage: node verify_tokenizer.mjs <model dir> <json file with a list of strings>
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
const here = dirname(fileURLToPath(import.meta.url));
const { TokenizerLoader } = await import(join(here, "../../tests/js/node_modules/@lenml/tokenizers/dist/main.mjs"));
const [modelDir, inputFile] = process.argv.slice(2);
const tokenizerJSON = JSON.parse(readFileSync(join(modelDir, "tokenizer.json"), "utf8"));
let tokenizerConfig = {};
try { tokenizerConfig = JSON.parse(readFileSync(join(modelDir, "tokenizer_config.json"), "utf8")); } catch {}
const tok = TokenizerLoader.fromPreTrained({ tokenizerJSON, tokenizerConfig });
const samples = JSON.parse(readFileSync(inputFile, "utf8"));
const ids = samples.map((s) => Array.from(tok.encode(s, { add_special_tokens: false })));
const decoded = ids.map((x) => x.length === 0 ? "" : tok.decode(x, { skip_special_tokens: false, clean_up_tokenization_spaces: false }));
console.log(JSON.stringify({ ids, decoded }));
