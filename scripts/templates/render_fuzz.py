#!/usr/bin/env python3
"""Random expression and whitespace-control differential cases (seeded) rendered with Python Jinja2 3.1.6 into fuzz_golden.json.

    python3 scripts/templates/render_fuzz.py tests/Engine.Tests/TestData/Templates [seed] [count]

Expressions combine literals, variables, operators, filters and tests at random. Cases whose Python output
contains a memory address (repr of generators/functions) or that fail to parse are skipped. The C# test requires
identical output when Python renders, and a TemplateException (not a crash) when Python raises.
"""
import copy
import json
import random
import sys
from pathlib import Path

import jinja2

sys.path.insert(0, str(Path(__file__).parent))
from render_golden import RaisedByTemplate, make_env  # noqa: E402

VARS = {"a": 3, "b": -2, "f": 2.5, "z": 0, "s": "Hi There", "e": "", "u": "ünï😀", "l": [3, 1, 2], "n": None, "t": True,
        "d": {"k": "v", "n": 1, "l": [1, 2]}, "ms": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]}
ATOMS = ["a", "b", "f", "z", "s", "e", "u", "l", "n", "t", "d", "ms", "missing", "1", "0", "-1", "2.0", "0.5", "'x'", "''",
         "'a b'", "none", "true", "false", "[]", "[1, 'q']", "{}", "{'k': 2}", "(1, 2)", "d.k", "d['n']", "l[0]", "l[-1]",
         "ms[0].role", "s[1:]", "l[::-1]", "u[1]", "d.get('k')", "s.split()", "s.lower()", "nothing"]
BINOPS = ["+", "-", "*", "/", "//", "%", "**", "~", "==", "!=", "<", ">", "<=", ">=", "and", "or", "in", "not in"]
FILTERS = ["length", "upper", "lower", "trim", "first", "last", "list", "string", "int", "float", "abs", "round", "tojson",
           "title", "capitalize", "reverse|list", "sort", "unique|list", "join(',')", "default('D')", "default('D', true)",
           "items|list", "dictsort", "sum", "min", "max", "select('odd')|list", "map('string')|list", "batch(2)|list",
           "indent(2)", "wordcount", "center(6)", "replace('i', 'I')", "count", "tojson(indent=1)"]
TESTS = ["defined", "undefined", "none", "string", "number", "integer", "float", "mapping", "iterable", "sequence", "odd",
         "even", "boolean", "true", "false", "divisibleby 2", "eq 3", "in [3, 'x']", "lower", "upper"]


def expr(rng, depth=0):
    r = rng.random()
    if depth > 2 or r < 0.3:
        return rng.choice(ATOMS)
    if r < 0.55:
        return f"({expr(rng, depth + 1)} {rng.choice(BINOPS)} {expr(rng, depth + 1)})"
    if r < 0.75:
        return f"({expr(rng, depth + 1)})|{rng.choice(FILTERS)}"
    if r < 0.85:
        return f"({expr(rng, depth + 1)} is {'not ' if rng.random() < 0.3 else ''}{rng.choice(TESTS)})"
    if r < 0.92:
        return f"(not {expr(rng, depth + 1)})"
    return f"({expr(rng, depth + 1)} if {expr(rng, depth + 1)} else {expr(rng, depth + 1)})"


WS = ["", " ", "  ", "\n", "\n\n", " \n", "\n  ", "\t", "\r\n", " \t\n ", "\u00a0", "\n\u3000"]


def ws_template(rng, depth=0):
    """Random nesting of text, prints, comments, if/for/set/raw tags with random whitespace and -/+ markers."""

    def ws():
        return rng.choice(WS)

    def sign():
        return rng.choice(["", "", "-", "+"])

    parts = []
    for _ in range(rng.randint(1, 4)):
        r = rng.random()
        if r < 0.25:
            parts.append(ws() + rng.choice(["a", "b c", "x\ny", "", "{", "}", "%", "#", "-"]) + ws())
        elif r < 0.45:
            parts.append(ws() + "{{" + rng.choice(["", "-"]) + " " + rng.choice(["x", "'v'", "i", "loop.index"]) + " " + rng.choice(["", "-"]) + "}}" + ws())
        elif r < 0.55:
            parts.append(ws() + "{#" + sign() + " c " + rng.choice(["", "-"]) + "#}" + ws())
        elif r < 0.75 and depth < 2:
            parts.append(ws() + "{%" + sign() + " if x %}" + ws() + ws_template(rng, depth + 1) + ws() + "{%" + sign() + " else " + sign() + "%}"
                         + ws() + ws_template(rng, depth + 1) + "{%" + sign() + " endif " + sign() + "%}" + ws())
        elif r < 0.9 and depth < 2:
            parts.append(ws() + "{%" + sign() + " for i in [1, 2] " + sign() + "%}" + ws() + ws_template(rng, depth + 1) + ws()
                         + "{%" + sign() + " endfor " + sign() + "%}" + ws())
        elif r < 0.95:
            parts.append(ws() + "{%" + sign() + " raw " + rng.choice(["", "-"]) + "%}" + ws() + "{{ x }}" + ws() + "{%" + sign() + " endraw " + sign() + "%}" + ws())
        else:
            parts.append(ws() + "{%" + sign() + " set y = 1 " + sign() + "%}" + ws())
    return "".join(parts)


def main():
    root = Path(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 1500
    rng = random.Random(seed)
    env = make_env()
    cases = []
    for i in range(count):
        source = "{{ " + expr(rng) + " }}"
        case = {"id": f"fuzz{seed}_{i}", "source": source}
        try:
            case["output"] = env.from_string(source).render(**copy.deepcopy(VARS))
            if "0x" in case["output"] or "object at" in case["output"]:
                continue
        except jinja2.TemplateSyntaxError:
            continue
        except RaisedByTemplate as e:
            case["error"], case["error_kind"] = str(e), "raise"
        except Exception as e:  # noqa: BLE001
            case["error"], case["error_kind"] = str(e), type(e).__name__
        cases.append(case)
    for i in range(count // 2):
        source = ws_template(rng)
        x = rng.random() < 0.5
        try:
            cases.append({"id": f"ws{seed}_{i}", "source": source, "vars": {"x": x}, "output": env.from_string(source).render(x=x)})
        except jinja2.TemplateError:
            continue
    with open(root / "fuzz_golden.json", "w", encoding="utf-8") as f:
        json.dump({"vars": VARS, "cases": cases}, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print(f"{len(cases)} fuzz cases ({sum('output' in c for c in cases)} rendered)")


if __name__ == "__main__":
    main()
