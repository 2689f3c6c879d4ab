#!/usr/bin/env python3
"""Renders small feature snippets with Python Jinja2 3.1.6 (HF settings, see render_golden.py) into snippets.json.

    python3 scripts/templates/render_snippets.py tests/Engine.Tests/TestData/Templates

Each case records the template, the variables, and the output, the runtime error (`error`, `error_kind`), or
the syntax error (`syntax_error` message and `lineno`).
"""
import json
import sys
from pathlib import Path

import jinja2

sys.path.insert(0, str(Path(__file__).parent))
from render_golden import RaisedByTemplate, make_env  # noqa: E402

COMMON = {
    "x": {},
    "l": [1, 2, 3],
    "d": {"a": 1, "b": [1, "x"]},
    "s": "Hello World",
    "users": [
        {"name": "ann", "role": "user", "age": 31, "flag": True},
        {"name": "Bob", "role": "assistant", "age": 25, "flag": False},
        {"name": "cid", "role": "user", "age": 40},
    ],
    "tree": [
        {"name": "a", "children": [{"name": "a1", "children": []}, {"name": "a2", "children": [{"name": "a2x", "children": []}]}]},
        {"name": "b", "children": []},
    ],
    "words": ["b", "A", "c", "a", "B"],
    "nums": [3, 1.5, -2, 10],
    "text": "line one\nline two\n\nline four",
}

S = [
    # whitespace control, trim_blocks, lstrip_blocks
    ("ws_minus", "a  {%- if true %} b {% endif -%}  c"),
    ("ws_lstrip_block", "line1\n    {% if true %}\n    inner\n    {% endif %}\nline2"),
    ("ws_for_lines", "{% for i in l %}\n  {{ i }}\n{% endfor %}"),
    ("ws_comment_line", "  {{ 'x' }}  \n  {# comment #}\n  text"),
    ("ws_plus_lstrip", "  {%+ if true %}x{% endif %}"),
    ("ws_plus_trim", "a\n{% if true +%}\nb{% endif %}"),
    ("ws_var_minus", "{{- ' a ' -}}   \n\n  b"),
    ("ws_comment_minus", "x {#- c -#} y"),
    ("ws_raw", "{% raw %}{{ not evaluated }}{% if %}{% endraw %}!"),
    ("ws_raw_minus", "  {%- raw -%}  {{ x }}  {%- endraw -%}  ."),
    ("ws_trailing_newline", "hello\n"),
    ("ws_two_trailing_newlines", "hello\n\n"),
    ("ws_crlf", "a\r\nb\rc\r\n{% if true %}\r\n x\r\n{% endif %}\r\nend"),
    ("ws_tabs", "\t\t{% if true %}x{% endif %}\n"),
    ("ws_not_line_start", "text   {% if true %}x{% endif %}"),
    ("ws_var_no_trim", "{{ 1 }}\n{{ 2 }}\n"),
    ("ws_nbsp_minus", "a\u00a0 {%- if true %}x{% endif %}"),
    ("ws_nbsp_lstrip", "\u00a0{% if true %}x{% endif %}"),
    ("ws_minus_newlines", "a\n\n   {%- for i in l -%}\n  {{ i }}  \n{%- endfor %}\n\nz"),
    ("ws_nested", "{% for i in l %}\n    {% if i is odd %}\n        odd {{ i }}\n    {% else %}\n        even {{ i }}\n    {% endif %}\n{% endfor %}"),
    ("ws_comment_trim", "a\n{# c #}\nb"),
    ("ws_dict_in_var", "{{ {'a': {'b': 1}} }}|{{ {'a': 1}['a'] }}"),
    # loops
    ("loop_vars", "{% for x in l %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }};{% endfor %}"),
    ("loop_prev_next", "{% for x in l %}{{ loop.previtem }}-{{ x }}-{{ loop.nextitem }}|{% endfor %}"),
    ("loop_prev_defined", "{% for x in l %}{{ loop.previtem is defined }}{{ loop.nextitem is defined }};{% endfor %}"),
    ("loop_else", "{% for x in [] %}a{% else %}empty{% endfor %}|{% for x in l %}{{ x }}{% else %}no{% endfor %}"),
    ("loop_filter", "{% for x in l if x is odd %}{{ x }}:{{ loop.index }}/{{ loop.length }}/{{ loop.last }};{% endfor %}"),
    ("loop_filter_else", "{% for x in l if x > 5 %}{{ x }}{% else %}none>5{% endfor %}"),
    ("loop_items", "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}"),
    ("loop_items_filter", "{% for k, v in d|items %}{{ k }}={{ v }};{% endfor %}"),
    ("loop_dict_keys", "{% for k in d %}{{ k }}{% endfor %}"),
    ("loop_string", "{% for c in 'abc' %}{{ c }}.{% endfor %}"),
    ("loop_cycle", "{% for x in l %}{{ loop.cycle('odd', 'even') }} {% endfor %}"),
    ("loop_changed", "{% for x in [1, 1, 2, 2, 1] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}"),
    ("loop_recursive", "{% for item in tree recursive %}{{ item.name }}@{{ loop.depth }}{% if item.children %}[{{ loop(item.children) }}]{% endif %};{% endfor %}"),
    ("loop_break_continue", "{% for x in [1, 2, 3, 4] %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 4 %}{% break %}{% endif %}{{ x }}{% endfor %}"),
    ("loop_scope_fresh", "{% for i in [1,2] %}{% if i == 2 %}[{{ y }}]{% endif %}{% set y = i %}{% endfor %}[{{ y }}]"),
    ("loop_scope_outer", "{% set y = 0 %}{% for i in [1,2] %}[{{ y }}]{% set y = i %}{% endfor %}[{{ y }}]"),
    ("loop_tuple_unpack", "{% for a, b in [(1, 2), (3, 4)] %}{{ a + b }},{% endfor %}"),
    ("loop_nested", "{% for a in [1, 2] %}{% for b in 'xy' %}{{ a }}{{ b }}{{ loop.index }}{% endfor %}{{ loop.index }} {% endfor %}"),
    ("loop_var_after", "{% for i in l %}{% endfor %}[{{ i }}]"),
    ("loop_undefined_iter", "{% for m in missing %}x{% else %}else{% endfor %}"),
    ("loop_reverse_messages", "{% for x in l[::-1] %}{{ x }}{{ loop.index0 }}{% endfor %}"),
    ("loop_if_set_leak", "{% if true %}{% set z = 5 %}{% endif %}{{ z }}"),
    # set / namespace / macro / call / filter / with
    ("set_namespace", "{% set ns = namespace(count=0, found=false) %}{% for x in l %}{% set ns.count = ns.count + x %}{% if x == 2 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.count }} {{ ns.found }}"),
    ("set_tuple", "{% set a, b = 1, 2 %}{{ a }}{{ b }}"),
    ("set_block", "{% set x %}block {{ 1 + 1 }}{% endset %}[{{ x }}]"),
    ("set_block_filter", "{% set x | upper | replace('B', 'b') %}block{% endset %}{{ x }}"),
    ("namespace_repr", "{{ namespace(a=1) }}"),
    ("namespace_empty", "{% set ns = namespace() %}{% set ns.a = 5 %}{{ ns.a }}{{ ns.b is defined }}{{ ns['a'] }}"),
    ("namespace_from_dict", "{% set ns = namespace({'k': 'v'}, z=1) %}{{ ns.k }}{{ ns.z }}"),
    ("set_non_namespace", "{% set d.a = 1 %}"),
    ("macro_basic", "{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('Bob') }} {{ greet('Amy', greeting='Hi') }} {{ greet(name='Z') }}"),
    ("macro_caller", "{% macro wrap() %}<{{ caller() }}>{% endmacro %}{% call wrap() %}inner{% endcall %}"),
    ("macro_caller_args", "{% macro m(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}{% endmacro %}{% call(x) m([1, 2]) %}[{{ x }}]{% endcall %}"),
    ("macro_varargs", "{% macro m(a) %}{{ a }}|{{ varargs }}|{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, k=4) }}"),
    ("macro_missing_arg", "{% macro m(a, b) %}[{{ a }}][{{ b }}][{{ b is defined }}]{% endmacro %}{{ m(1) }}"),
    ("macro_outer_var", "{% set g = 'G' %}{% macro m() %}{{ g }}{% endmacro %}{{ m() }}"),
    ("macro_whitespace", "{% macro m(x) %}\n    {{ x }}\n{% endmacro %}\n[{{ m(1) }}]"),
    ("macro_recursive_json", "{% macro render(v) %}{% if v is mapping %}{{ '{' }}{% for k, val in v.items() %}{{ k }}:{{ render(val) }}{% if not loop.last %},{% endif %}{% endfor %}{{ '}' }}{% elif v is iterable and v is not string %}[{% for i in v %}{{ render(i) }}{% endfor %}]{% else %}{{ v }}{% endif %}{% endmacro %}{{ render(d) }}"),
    ("filter_block", "{% filter upper %}hello {{ 'x' }}{% endfilter %}"),
    ("with_block", "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}{{ a is defined }}"),
    # literals and expressions
    ("lit_strings", "{{ 'a\\nb' }}|{{ \"it's\" }}|{{ 'tab\\there' }}|{{ '\\u00e9\\x41\\101' }}|{{ 'a' 'b' }}|{{ 'back\\\\slash' }}|{{ '\\d\\q' }}"),
    ("lit_numbers", "{{ 42 }} {{ -3 }} {{ 1_000 }} {{ 0x1F }} {{ 0b101 }} {{ 0o17 }} {{ 3.14 }} {{ 1e3 }} {{ 2.5e-3 }} {{ 1.5E+2 }}"),
    ("lit_consts", "{{ true }} {{ True }} {{ none }} {{ None }} {{ false }} {{ False }}"),
    ("lit_collections", "{{ [1, 'a', none, true, 1.5] }} {{ {'k': 'v', 'n': [1]} }} {{ (1, 'a') }} {{ () }} {{ [] }} {{ {} }} {{ 1, 2 }}"),
    ("arith", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 2 ** 3 ** 2 }} {{ -2 ** 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7.5 // 2 }} {{ -7 // 2 }} {{ 1 / 3 }} {{ 0.1 + 0.2 }} {{ 10 / 4 }} {{ 2 ** -1 }} {{ true + true }} {{ 5 - 7.5 }}"),
    ("concat_ops", "{{ 'a' ~ 1 ~ none ~ true ~ 1.5 ~ missing }} {{ 'ab' * 3 }} {{ 2 * 'x' }} {{ [1] + [2] }} {{ 'x' + 'y' }} {{ [0] * 3 }}"),
    ("compare", "{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 1 == 1.0 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 1 != 2 }} {{ true == 1 }} {{ none == none }} {{ 'a' == 'a' }} {{ [1] == [1] }} {{ {'a': 1} == {'a': 1} }} {{ 2 >= 2 }} {{ 1 <= 0 }}"),
    ("bool_ops", "{{ 0 or 'x' }} {{ 1 and 'y' }} {{ none and 1 }} {{ not 0 }} {{ not 'a' }} {{ '' or [] or 0 }} {{ [] or {} }} {{ 'a' and '' }}"),
    ("in_ops", "{{ 'a' in 'cat' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 3 not in [1] }} {{ not 1 in [1] }} {{ 1 in (1, 2) }} {{ '' in 'abc' }}"),
    ("ternary", "{{ 'y' if true else 'n' }} {{ 'y' if false else 'n' }} [{{ 'y' if false }}] {{ 'a' if false else 'b' if false else 'c' }}"),
    ("access", "{{ d.a }} {{ d['a'] }} {{ d.b[1] }} {{ d.b.0 }} {{ d.get('a') }} {{ d.get('zz', 'def') }} {{ d.get('zz') }} {{ d.keys()|list }} {{ d.values()|list }} {{ d.items()|list }}"),
    ("access_method_vs_key", "{{ {'items': 5}['items'] }} {{ {'items': 5}.get('items') }} {{ {'keys': 1}.keys()|list }}"),
    ("slicing", "{{ l[1:] }} {{ l[::-1] }} {{ l[:-1] }} {{ l[-1] }} {{ 'hello'[1:3] }} {{ 'hello'[::-1] }} {{ l[5:] }} {{ l[-10:2] }} {{ l[::2] }} {{ l[1:2:-1] }} {{ l[2:0:-1] }} {{ (1, 2, 3)[1:] }} {{ 'héllo😀x'[::-1] }} {{ 'ab😀cd'[2] }} {{ 'ab😀cd'|length }}"),
    ("negative_index", "{{ l[-1] }}{{ l[-3] }}[{{ l[-4] }}][{{ l[3] }}]{{ 'abc'[-1] }}"),
    # tests
    ("tests_types", "{{ x is defined }} {{ y is undefined }} {{ none is none }} {{ 'a' is string }} {{ d is mapping }} {{ l is iterable }} {{ 'a' is sequence }} {{ 1 is number }} {{ 1.0 is integer }} {{ 1 is integer }} {{ 1.0 is float }} {{ true is boolean }} {{ true is number }} {{ true is integer }} {{ y is iterable }} {{ d is sequence }} {{ 1 is iterable }}"),
    ("tests_values", "{{ 3 is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(2) }} {{ 'a' is eq 'a' }} {{ 1 is equalto 2 }} {{ 5 is gt 3 }} {{ 5 is lt 3 }} {{ 1 is in [1] }} {{ 'abc' is lower }} {{ 'ABC' is upper }} {{ none is not none }} {{ true is true }} {{ 1 is true }} {{ false is false }} {{ 0 is false }} {{ 1 is ne 1 }} {{ 2 is ge 2 }} {{ 2 is le 1 }}"),
    ("tests_misc", "{{ d.get is callable }} {{ 'x' is callable }} {{ none is sameas none }} {{ true is sameas true }} {{ 'upper' is filter }} {{ 'odd' is test }} {{ 'nope' is filter }} {{ x is not mapping }}"),
    # filters
    ("f_trim", "[{{ '  a b  '|trim }}][{{ 'xxaxx'|trim('x') }}][{{ none|trim }}][{{ missing|trim }}][{{ '\\n\\t x \\u3000'|trim }}]"),
    ("f_length", "{{ l|length }} {{ 'abc'|count }} {{ d|length }} {{ missing|length }} {{ ''|length }} {{ (1, 2)|length }}"),
    ("f_case", "{{ 'hello World'|upper }} {{ 'Hello'|lower }} {{ 'hello world-foo (bar) o\\'neil'|title }} {{ 'hELLO wORLD'|capitalize }} {{ 'ß'|upper }}"),
    ("f_replace", "{{ 'aaa'|replace('a', 'b') }} {{ 'aaa'|replace('a', 'b', 2) }} {{ 'abc'|replace('', '-') }} {{ 'a.b'|replace('.', '') }}"),
    ("f_join", "{{ l|join(', ') }} {{ l|join }} {{ users|join('/', attribute='name') }} {{ ['a', 1, none]|join('-') }}"),
    ("f_default", "{{ missing|default('dflt') }} {{ none|default('dflt') }} {{ none|default('dflt', true) }} {{ ''|d('empty', boolean=true) }} {{ 0|default(5) }} {{ x.nope|default('n') }} {{ missing|default }}"),
    ("f_first_last", "{{ l|first }} {{ l|last }} {{ 'abc'|first }} {{ 'abc'|last }} [{{ []|first }}] {{ d|first }} {{ users|first|tojson }}"),
    ("f_list_string", "{{ 'abc'|list }} {{ d|list }} {{ 12|string }} {{ none|string }} {{ l|string }} {{ (1,)|list }}"),
    ("f_int_float", "{{ '42'|int }} {{ '3.7'|int }} {{ 'abc'|int }} {{ 3.9|int }} {{ '0x1A'|int(base=16) }} {{ 'abc'|int(7) }} {{ '1.5'|float }} {{ 'x'|float }} {{ 3|float }} {{ true|int }} {{ ' 12 '|int }} {{ '-4'|int }} {{ '1e3'|float }} {{ '1_000'|int }}"),
    ("f_abs_round", "{{ -3|abs }} {{ (-3)|abs }} {{ -2.5|abs }} {{ 2.5|round }} {{ 3.5|round }} {{ 3.14159|round(2) }} {{ 2.1|round(0, 'ceil') }} {{ 2.9|round(method='floor') }} {{ 7|round }} {{ -0.5|round }} {{ 1234|round(-2) }}"),
    ("f_items_dictsort", "{{ d|items|list }} {{ {'b': 1, 'A': 2, 'c': 0}|dictsort }} {{ {'b': 1, 'A': 2, 'c': 0}|dictsort(true) }} {{ {'b': 1, 'A': 2, 'c': 0}|dictsort(by='value') }} {{ {'b': 1, 'a': 2}|dictsort(reverse=true) }} {{ missing|items|list }}"),
    ("f_map", "{{ users|map(attribute='name')|list }} {{ users|map(attribute='flag', default='?')|list }} {{ ['a', 'B']|map('upper')|list }} {{ l|map('string')|join('') }} {{ users|map(attribute='nope')|list|length }}"),
    ("f_select", "{{ l|select('odd')|list }} {{ l|reject('odd')|list }} {{ [0, 1, '', 'a', none]|select|list }} {{ users|selectattr('role', 'equalto', 'user')|map(attribute='name')|list }} {{ users|selectattr('flag')|map(attribute='name')|list }} {{ users|rejectattr('flag')|map(attribute='name')|list }} {{ users|selectattr('age', 'gt', 30)|list|length }} {{ l|select('in', [1, 3])|list }}"),
    ("f_unique_sort", "{{ words|unique|list }} {{ words|unique(case_sensitive=true)|list }} {{ words|sort }} {{ words|sort(case_sensitive=true) }} {{ words|sort(reverse=true) }} {{ users|sort(attribute='age')|map(attribute='name')|list }} {{ nums|sort }}"),
    ("f_min_max_sum", "{{ nums|min }} {{ nums|max }} {{ words|min }} {{ words|max }} {{ nums|sum }} {{ users|sum(attribute='age') }} {{ l|sum(start=10) }} [{{ []|max }}]"),
    ("f_indent", "[{{ text|indent }}]\n[{{ text|indent(2, true) }}]\n[{{ text|indent(first=true, blank=true) }}]\n[{{ text|indent('>> ') }}]\n[{{ 'one'|indent(2) }}]\n[{{ ''|indent(2, true) }}]"),
    ("f_misc", "{{ '<a href=\"x\">&\\'</a>'|escape }} {{ '<b>'|e }} {{ '<i>'|safe }} {{ l|batch(2)|list }} {{ l|batch(2, 0)|list }} {{ 'abc'|center(9) }}| {{ 'one two  three'|wordcount }} {{ l|reverse|list }} {{ 'abc'|reverse }} {{ d|attr('a') }}"),
    ("f_truncate", "{{ 'hello world foo bar baz'|truncate(12) }}|{{ 'hello world foo bar baz'|truncate(12, true) }}|{{ 'short'|truncate(12) }}|{{ 'hello world foo bar baz'|truncate(11, false, '..', 0) }}"),
    ("f_format", "{{ '%s-%d-%.2f-%5s|%-5s|%05d %%'|format('a', 3, 1.234, 'r', 'l', 42) }} {{ '%s' % 'x' }} {{ '%(a)s=%(b)d' % {'a': 'k', 'b': 2} }} {{ '%s and %s' % (1, none) }} {{ '%x %r'|format(255, 'q') }}"),
    ("f_tojson", "{{ d|tojson }} {{ d|tojson(indent=2) }} {{ 'é\"\\n\\t\\u0001/'|tojson }} {{ [1.0, 2.5e-10, 1e16, none, true, 0.1]|tojson }} {{ {'b': 1, 'a': 2}|tojson(sort_keys=true) }} {{ l|tojson(separators=(',', ':')) }} {{ 'é😀'|tojson(ensure_ascii=true) }} {{ {}|tojson }} {{ []|tojson(indent=2) }} {{ d|tojson(indent='\\t') }} {{ {1: 'a', true: 'b', none: 'c'}|tojson }} {{ (1, 2)|tojson }} {{ users|tojson(indent=0) }}"),
    ("f_tojson_nested_indent", "{{ {'a': [], 'b': {}, 'c': [{'d': [1, {'e': null_v}]}]}|tojson(indent=4) }}"),
    ("f_tojson_undefined", "{{ missing|tojson }}"),
    ("f_chain", "{{ users|selectattr('role', 'eq', 'user')|map(attribute='name')|map('upper')|join(',')|lower|replace('a', 'A') }}"),
    # python methods
    ("m_str", "{{ '  x  '.strip() }}|{{ 'xxhixx'.strip('x') }}|{{ '  x'.lstrip() }}|{{ 'x  '.rstrip() }}|{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'a b c'.split(' ', 1) }}|{{ 'a,b,c'.rsplit(',', 1) }}|{{ ' a b c '.rsplit(none, 1) }}|{{ 'hello'.startswith('he') }}|{{ 'hello'.endswith(('x', 'lo')) }}|{{ 'Hi'.upper() }}{{ 'Hi'.lower() }}|{{ 'hello world 1st'.title() }}|{{ 'aXbX'.replace('X', '-') }}|{{ 'aXbX'.replace('X', '-', 1) }}"),
    ("m_str2", "{{ 'hello'.find('l') }}|{{ 'hello'.rfind('l') }}|{{ 'hello'.find('z') }}|{{ 'hello'.count('l') }}|{{ '{} and {}'.format(1, 'b') }}|{{ '{0}{1}{0}'.format('a', 'b') }}|{{ '{name}!'.format(name='x') }}|{{ '-'.join(['a', 'b']) }}|{{ 'hello'.capitalize() }}|{{ '42'.isdigit() }}|{{ 'a\\nb\\r\\nc'.splitlines() }}|{{ 'abc'.index('c') }}|{{ '7'.zfill(3) }}|{{ 'a=b=c'.partition('=') }}|{{ 'pre_x'.removeprefix('pre_') }}|{{ 'x'.center(5, '*') }}|{{ 'x'.ljust(3, '.') }}{{ 'x'.rjust(3, '.') }}|{{ '{:>5}|{:<3}|'.format('a', 'b') }}"),
    ("m_str_split_edge", "{{ ''.split() }} {{ ''.split(',') }} {{ 'a'.split('a') }} {{ '  '.split(' ') }} {{ 'a\\tb\\nc'.split() }} {{ 'a b c d'.split(none, 2) }}"),
    ("m_list_dict", "{{ l.index(2) }} {{ l.count(1) }} {{ d.copy() }} {{ (1, 2).index(2) }}"),
    # sandbox
    ("sandbox_append", "{{ l.append(4) }}"),
    ("sandbox_append_set", "{% set xs = [] %}{{ xs.append(1) }}"),
    ("sandbox_update", "{{ d.update({'z': 1}) }}"),
    ("sandbox_pop", "{{ d.pop('a') }}"),
    ("sandbox_render_method", "[{{ l.append }}][{{ l.append is defined }}]"),
    # undefined semantics
    ("undef_soft", "[{{ missing }}]|{{ missing is defined }}|{{ missing|default('dflt') }}|{% for x in missing %}never{% endfor %}|{{ missing|length }}|{{ missing ~ 'x' }}|{{ missing == missing }}|{{ missing != 1 }}|{{ not missing }}|[{{ missing|string }}]|[{{ missing|upper }}]|{{ missing|list }}|{{ 'a' in missing }}|[{{ x.nope }}]|[{{ none.x }}]|[{{ l[10] }}]|{{ missing is iterable }}"),
    ("undef_add", "{{ missing + 1 }}"),
    ("undef_attr", "{{ missing.attr }}"),
    ("undef_call", "{{ missing() }}"),
    ("undef_item", "{{ missing['k'] }}"),
    ("undef_deep", "{{ x.nope.deeper }}"),
    ("undef_method_call", "{{ x.nope() }}"),
    ("undef_compare", "{{ missing < 1 }}"),
    ("undef_list_elem", "{{ l[10].x }}"),
    ("undef_first_empty", "{{ ([]|first).x }}"),
    ("undef_none_attr", "{{ none.x.y }}"),
    ("undef_str_method", "{{ 'abc'.nope() }}"),
    ("undef_int_attr", "{{ (1).real }}"),
    ("undef_macro_param", "{% macro m(a) %}{{ a.b }}{% endmacro %}{{ m() }}"),
    ("undef_ternary", "{{ ('y' if false).x }}"),
    # runtime type errors
    ("err_str_plus_int", "{{ 'a' + 1 }}"),
    ("err_int_plus_str", "{{ 1 + 'a' }}"),
    ("err_div_zero", "{{ 1 / 0 }}"),
    ("err_floordiv_zero", "{{ 1 // 0 }}"),
    ("err_compare_types", "{{ 1 < 'a' }}"),
    ("err_iter_int", "{% for x in 5 %}{% endfor %}"),
    ("err_iter_none", "{% for x in none %}{% endfor %}"),
    ("err_in_int", "{{ 1 in 5 }}"),
    ("err_in_str_int", "{{ 1 in 'abc' }}"),
    ("err_unpack", "{% for a, b in [(1, 2, 3)] %}{% endfor %}"),
    ("err_unpack_few", "{% for a, b in [[1]] %}{% endfor %}"),
    ("err_call_str", "{{ 'abc'() }}"),
    ("err_len_int", "{{ 5|length }}"),
    ("err_join_method", "{{ ', '.join([1, 2]) }}"),
    ("err_items_list", "{{ l|items|list }}"),
    # globals
    ("g_range_dict", "{{ range(3)|list }} {{ range(1, 10, 3)|list }} {{ range(5, 0, -2)|list }} {{ dict(a=1, b='x') }} {{ range(0)|list }}"),
    ("g_raise", "before{{ raise_exception('Boom: ' ~ 1) }}after"),
    ("g_raise_in_loop", "{% for m in l %}{% if m == 2 %}{{ raise_exception('bad item ' ~ m ~ ' at ' ~ loop.index) }}{% endif %}{% endfor %}"),
    ("g_strftime", "{{ strftime_now('%Y-%m-%d %H:%M:%S %a %b %d %-d %B %A %j %p %I %y %e|%%') }}"),
    ("g_joiner_cycler", "{% set j = joiner('|') %}{% for x in l %}{{ j() }}{{ x }}{% endfor %}"),
    # number and repr formatting
    ("fmt_numbers", "{{ 1/7 }} {{ 1e-5 }} {{ 123456789.0 * 1000 }} {{ 2.0 ** 60 }} {{ -0.0 }} {{ 1e16 }} {{ 9999999999999998.0 }} {{ 0.0001 }} {{ 1.5e300 * 1e10 }} {{ 100.0 }} {{ 1e22 }} {{ 9223372036854775807 }}"),
    ("fmt_repr_strings", "{{ ['a\\'b', \"x\\\"y\", 'both\\'\"', 'nl\\n', '\\x00\\x7f', 'é', '😀', '\\u00a0', '\\\\', '\\u200b', '\\r\\t'] }}"),
    ("fmt_nested_repr", "{{ {'k': [1, {'n': none, 't': (1,)}], 'f': 2.50} }} {{ users[0] }}"),
    ("fmt_bool_print", "{{ true }}{{ l|length > 2 }}{{ none is none }}"),
    # messages-like access
    ("msg_like", "{% for m in msgs %}{{ m.role }}:{{ m['content'] }}|{{ m.content is string }}|{{ m.tool_calls is defined }};{% endfor %}"),
    ("msg_content_parts", "{% for m in msgs2 %}{% if m.content is string %}{{ m.content }}{% else %}{% for p in m.content %}{% if p.type == 'text' %}{{ p.text }}{% elif p.type == 'image' %}<img>{% endif %}{% endfor %}{% endif %}{% endfor %}"),
    ("msg_reverse_ns", "{% set ns = namespace(last=-1) %}{% for m in msgs[::-1] %}{% set idx = (msgs|length - 1) - loop.index0 %}{% if ns.last == -1 and m.role == 'user' %}{% set ns.last = idx %}{% endif %}{% endfor %}{{ ns.last }}"),
    ("generation_tag", "A{% generation %}B{{ 1 }}{% endgeneration %}C"),
]

EXTRA_VARS = {
    "msgs": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo", "tool_calls": []}, {"role": "user", "content": "bye"}],
    "msgs2": [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "what?"}]}, {"role": "user", "content": "plain"}],
    "null_v": None,
}

SYNTAX = [
    ("syn_unclosed_if", "{% if x %}\nno end"),
    ("syn_wrong_end", "{% for x in l %}\n{% endif %}"),
    ("syn_bad_expr", "line1\n{{ x + }}"),
    ("syn_unknown_tag", "a\n\n{% foo %}"),
    ("syn_unknown_filter", "{{ x | nofilter }}"),
    ("syn_unterminated_string", "{{ 'unterminated }}"),
    ("syn_comment", "\n\n{# never closed"),
    ("syn_unknown_test", "{{ x is nosuchtest }}"),
    ("syn_paren", "{{ (1, 2 }}"),
    ("syn_top_endfor", "x\n{% endfor %}"),
    ("syn_macro_default", "{% macro m(a=1, b) %}{% endmacro %}"),
    ("syn_empty_print", "{{ }}"),
    ("syn_if_empty", "{% if %}{% endif %}"),
    ("syn_unclosed_var", "text {{ x "),
    ("syn_unexpected_char", "{{ x ! y }}"),
    ("syn_chained_is", "{{ x is defined is defined }}"),
    ("syn_nested_unclosed", "{% for a in l %}\n  {% if a %}\n    x\n  {% endfor %}"),
    ("syn_set_const", "{% set 1 = 2 %}"),
    ("syn_elif_after_else", "{% if a %}{% else %}{% elif b %}{% endif %}"),
    ("syn_bad_subscript", "{{ x.[1] }}"),
]


def main():
    root = Path(sys.argv[1])
    env = make_env()
    cases = []
    for name, source in S:
        variables = {**COMMON, **EXTRA_VARS}
        case = {"id": name, "source": source}
        try:
            case["output"] = env.from_string(source).render(**variables)
        except jinja2.TemplateSyntaxError as e:
            case["syntax_error"] = e.message
            case["lineno"] = e.lineno
        except RaisedByTemplate as e:
            case["error"] = str(e)
            case["error_kind"] = "raise"
        except Exception as e:  # noqa: BLE001
            case["error"] = str(e)
            case["error_kind"] = type(e).__name__
        cases.append(case)
    for name, source in SYNTAX:
        case = {"id": name, "source": source}
        try:
            env.from_string(source)
            case["output"] = "<parsed>"
        except jinja2.TemplateSyntaxError as e:
            case["syntax_error"] = e.message
            case["lineno"] = e.lineno
        cases.append(case)
    # The huggingface.js Jinja test-suite snippets, each with its own context (outputs re-rendered here).
    for snippet in json.loads((root / "hfjs_snippets_src.json").read_text(encoding="utf-8")):
        case = {"id": snippet["id"], "source": snippet["source"], "vars": snippet["vars"]}
        try:
            case["output"] = env.from_string(snippet["source"]).render(**snippet["vars"])
        except jinja2.TemplateSyntaxError as e:
            case["syntax_error"] = e.message
            case["lineno"] = e.lineno
        except RaisedByTemplate as e:
            case["error"] = str(e)
            case["error_kind"] = "raise"
        except Exception as e:  # noqa: BLE001
            case["error"] = str(e)
            case["error_kind"] = type(e).__name__
        cases.append(case)
    out = {"vars": {**COMMON, **EXTRA_VARS}, "cases": cases}
    with open(root / "snippets.json", "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(cases)} snippet cases")


if __name__ == "__main__":
    main()
