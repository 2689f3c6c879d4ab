#!/usr/bin/env python3
"""Renders the golden outputs for the C# chat-template engine tests.

Run with the Python that has Jinja2 3.1.6 (the pyenv `python3`):
    python3 scripts/templates/render_golden.py tests/Engine.Tests/TestData/Templates

The environment mirrors transformers' `_compile_jinja_template`: ImmutableSandboxedEnvironment(trim_blocks=True,
lstrip_blocks=True, extensions=[loopcontrols]) with HF's `tojson`, `raise_exception` and `strftime_now` (here
reading a fixed clock, 2024-09-15 14:30:05, so outputs are deterministic). The `{% generation %}` tag HF adds
is emulated by an extension that renders its body inline.

Writes golden.json: one case per (template, conversation) plus the huggingface.js e2e examples, each with the
variables passed, and either the rendered `output` or the `error` (`error_kind` "raise" for raise_exception,
otherwise the Python exception type).
"""
import json
import sys
from datetime import datetime
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

assert jinja2.__version__ == "3.1.6", jinja2.__version__

FIXED_NOW = datetime(2024, 9, 15, 14, 30, 5)


class RaisedByTemplate(jinja2.exceptions.TemplateError):
    pass


class GenerationTag(Extension):
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_render"), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def make_env():
    def raise_exception(message):
        raise RaisedByTemplate(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(fmt):
        return FIXED_NOW.strftime(fmt)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[GenerationTag, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


SYSTEM = {"role": "system", "content": "You are a helpful assistant."}
USER1 = {"role": "user", "content": "Hello, how are you?"}
ASSISTANT1 = {"role": "assistant", "content": "I'm doing great. How can I help you today?"}
USER2 = {"role": "user", "content": "What's the weather like in Paris?"}

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_current_weather",
        "description": "Get the current weather in a given location",
        "parameters": {
            "type": "object",
            "properties": {
                "location": {"type": "string", "description": "The city and country, e.g. Paris, France"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["location"],
        },
    },
}
TIME_TOOL = {
    "type": "function",
    "function": {
        "name": "get_time",
        "description": "Current local time for a time zone. Returns “HH:MM”.",
        "parameters": {
            "type": "object",
            "properties": {"tz": {"type": "string", "description": "IANA zone like \"Europe/Paris\""}, "precise": {"type": "boolean"}},
            "required": ["tz"],
        },
    },
}
TOOLS = [WEATHER_TOOL, TIME_TOOL]


def tool_call(name, arguments, call_id="call00001"):
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


CONVERSATIONS = {
    "user_only": {"messages": [USER1], "add_generation_prompt": True},
    "system_user": {"messages": [SYSTEM, USER1], "add_generation_prompt": True},
    "system_user_nogen": {"messages": [SYSTEM, USER1], "add_generation_prompt": False},
    "multi_turn": {"messages": [USER1, ASSISTANT1, USER2], "add_generation_prompt": True},
    "multi_turn_system_nogen": {
        "messages": [SYSTEM, USER1, ASSISTANT1, USER2, {"role": "assistant", "content": "Sunny, 24 °C."}],
        "add_generation_prompt": False,
    },
    "unicode": {
        "messages": [
            {"role": "user", "content": "Grüße! 你好 😀 — “quotes” 'single' \"double\" \\ backslash\n\ttab <tag> & {{ not a tag }}"},
            {"role": "assistant", "content": "¡Hola! 👋🏽 Ça va? Ελληνικά, русский, עברית, 日本語"},
            {"role": "user", "content": "emoji only: 🎉🎉"},
        ],
        "add_generation_prompt": True,
    },
    "whitespace_content": {
        "messages": [
            {"role": "system", "content": "\n  Be brief.  \n"},
            {"role": "user", "content": "   padded question?\n\n"},
            {"role": "assistant", "content": "\n\nanswer with blank lines\n\n"},
            {"role": "user", "content": "\tnext"},
        ],
        "add_generation_prompt": True,
    },
    "tools_declared": {"messages": [SYSTEM, USER2], "tools": TOOLS, "add_generation_prompt": True},
    "tools_declared_no_system": {"messages": [USER2], "tools": TOOLS, "add_generation_prompt": True},
    "tools_call_and_result": {
        "messages": [
            SYSTEM,
            USER2,
            {"role": "assistant", "content": "", "tool_calls": [tool_call("get_current_weather", {"location": "Paris, France", "unit": "celsius"}, "abc123def")]},
            {"role": "tool", "tool_call_id": "abc123def", "name": "get_current_weather", "content": "{\"temperature\": 22.5, \"condition\": \"sunny\"}"},
        ],
        "tools": TOOLS,
        "add_generation_prompt": True,
    },
    "tools_parallel_calls": {
        "messages": [
            USER2,
            {
                "role": "assistant",
                "content": "Let me check both.",
                "tool_calls": [
                    tool_call("get_current_weather", {"location": "Paris, France"}, "call00001"),
                    tool_call("get_time", {"tz": "Europe/Paris", "precise": True}, "call00002"),
                ],
            },
            {"role": "tool", "tool_call_id": "call00001", "name": "get_current_weather", "content": "22 C, sunny"},
            {"role": "tool", "tool_call_id": "call00002", "name": "get_time", "content": "14:30"},
            {"role": "assistant", "content": "It is 14:30 and sunny (22 °C) in Paris."},
            {"role": "user", "content": "Thanks!"},
        ],
        "tools": TOOLS,
        "add_generation_prompt": True,
    },
    "tools_args_as_string": {
        "messages": [
            USER2,
            {"role": "assistant", "content": None, "tool_calls": [tool_call("get_current_weather", "{\"location\": \"Paris\"}", "abc123def")]},
            {"role": "tool", "tool_call_id": "abc123def", "content": "sunny"},
        ],
        "tools": TOOLS,
        "add_generation_prompt": False,
    },
    "thinking_disabled": {"messages": [USER1], "add_generation_prompt": True, "enable_thinking": False},
    "thinking_enabled": {"messages": [USER1], "add_generation_prompt": True, "enable_thinking": True},
    "reasoning_content": {
        "messages": [
            USER1,
            {"role": "assistant", "content": "Fine, thanks.", "reasoning_content": "The user greets me.\nI answer politely."},
            USER2,
            {"role": "assistant", "content": "Probably sunny.", "reasoning_content": "No tool available.\n"},
        ],
        "add_generation_prompt": False,
    },
    "think_in_content": {
        "messages": [
            USER1,
            {"role": "assistant", "content": "<think>\nLet me think.\n</think>\n\nI am fine."},
            USER2,
        ],
        "add_generation_prompt": True,
        "enable_thinking": False,
    },
    "bad_alternation": {"messages": [USER1, USER2], "add_generation_prompt": True},
    "assistant_first": {"messages": [ASSISTANT1, USER1], "add_generation_prompt": True},
    "content_parts": {
        "messages": [{"role": "user", "content": [{"type": "text", "text": "Describe this image."}, {"type": "image"}]}],
        "add_generation_prompt": True,
    },
    "empty_messages": {"messages": [], "add_generation_prompt": True},
    "twenty_messages": {
        "messages": [SYSTEM]
        + [
            {"role": "user" if i % 2 == 0 else "assistant", "content": f"Message number {i}: " + ("lorem ipsum " * (i % 5 + 1)).strip()}
            for i in range(19)
        ],
        "add_generation_prompt": True,
    },
}

OLLAMA_CONVERSATIONS = ["multi_turn_system_nogen", "multi_turn", "tools_parallel_calls"]

# Real special tokens per template family.
TOKENS = {
    "llama3": ("<|begin_of_text|>", "<|eot_id|>"),
    "llama3.1": ("<|begin_of_text|>", "<|eot_id|>"),
    "llama3.2": ("<|begin_of_text|>", "<|eot_id|>"),
    "qwen2.5": (None, "<|im_end|>"),
    "qwen3": (None, "<|im_end|>"),
    "mistral-v0.1": ("<s>", "</s>"),
    "mistral-v0.3": ("<s>", "</s>"),
    "mistral-nemo": ("<s>", "</s>"),
    "zephyr": ("<s>", "</s>"),
    "tinyllama": ("<s>", "</s>"),
    "smollm2": ("<|im_start|>", "<|im_end|>"),
    "llama2": ("<s>", "</s>"),
}


def render(env, source, variables):
    try:
        return {"output": env.from_string(source).render(**variables)}
    except RaisedByTemplate as e:
        return {"error": str(e), "error_kind": "raise"}
    except Exception as e:  # noqa: BLE001 - the golden file records any failure
        return {"error": str(e), "error_kind": type(e).__name__}


def main():
    root = Path(sys.argv[1])
    env = make_env()
    cases = []
    for name, (bos, eos) in TOKENS.items():
        source = (root / "templates" / f"{name}.jinja").read_text(encoding="utf-8")
        for conv_name, conv in CONVERSATIONS.items():
            variables = {"bos_token": bos, "eos_token": eos, **conv}
            cases.append({"id": f"{name}/{conv_name}", "template": name, "vars": variables, **render(env, source, variables)})
    for extra in json.loads((root / "e2e_cases.json").read_text(encoding="utf-8")):
        source = (root / "templates" / f"{extra['template']}.jinja").read_text(encoding="utf-8")
        cases.append({"id": extra["id"], "template": extra["template"], "vars": extra["vars"], **render(env, source, extra["vars"])})
    with open(root / "golden.json", "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False, indent=1)
        f.write("\n")
    ok = sum(1 for c in cases if "output" in c)
    print(f"{len(cases)} cases: {ok} rendered, {len(cases) - ok} errors")

    # Every distinct Ollama-library GGUF template with a few standard conversations (stored once).
    conversations = {name: {"bos_token": "<s>", "eos_token": "</s>", **CONVERSATIONS[name]} for name in OLLAMA_CONVERSATIONS}
    ollama_cases = []
    for entry in json.loads((root / "ollama_templates.json").read_text(encoding="utf-8")):
        source = (root / "templates" / f"{entry['template']}.jinja").read_text(encoding="utf-8")
        for conv_name, variables in conversations.items():
            ollama_cases.append({"id": f"{entry['template']}/{conv_name}", "template": entry["template"], "conversation": conv_name, **render(env, source, variables)})
    with open(root / "ollama_golden.json", "w", encoding="utf-8") as f:
        json.dump({"conversations": conversations, "cases": ollama_cases}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    ok = sum(1 for c in ollama_cases if "output" in c)
    print(f"{len(ollama_cases)} ollama cases: {ok} rendered, {len(ollama_cases) - ok} errors")


if __name__ == "__main__":
    main()
