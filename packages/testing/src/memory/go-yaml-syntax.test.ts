import { describe, expect, test } from 'vitest';
import { GoYamlError, parseGoYaml } from './go-yaml.js';

/** What go-yaml v2 (through sigs.k8s.io/yaml v1.6.0, as kube-apiserver v1.36.3 uses it) said. */
const SYNTAX_ERRORS: [string, string][] = [
  ['a: {b: 1\nc: 2\n', "yaml: line 1: did not find expected ',' or '}'"],
  ['a: {b: 1, c: 2\n', "yaml: line 1: did not find expected ',' or '}'"],
  ['a: [1, 2\nb: 3\n', "yaml: line 1: did not find expected ',' or ']'"],
  ['a: [1, 2\n', "yaml: line 1: did not find expected ',' or ']'"],
  ['a: {b: 1]\n', "yaml: did not find expected ',' or '}'"],
  ['a: [1, 2}\n', "yaml: did not find expected ',' or ']'"],
  ['{a: 1\n', "yaml: line 1: did not find expected ',' or '}'"],
  ['a: "abc\nb: 2\n', 'yaml: line 3: found unexpected end of stream'],
  ["a: 'abc\nb: 2\n", 'yaml: line 3: found unexpected end of stream'],
  ['a: "abc\n', 'yaml: line 2: found unexpected end of stream'],
  ['a: "abc" x\n', 'yaml: did not find expected key'],
  ["a: 'abc' x\n", 'yaml: did not find expected key'],
  ['a: "\\q"\n', 'yaml: found unknown escape character'],
  ['a:\n  b: 1\n c: 2\n', 'yaml: line 2: did not find expected key'],
  ['a:\n  b: 1\n    c: 2\n', 'yaml: line 3: mapping values are not allowed in this context'],
  ['a: 1\n  b: 2\n', 'yaml: line 2: mapping values are not allowed in this context'],
  [
    'metadata:\n  name: x\n   labels: {}\n',
    'yaml: line 3: mapping values are not allowed in this context',
  ],
  ['a:\n  - 1\n  b: 2\n', "yaml: line 2: did not find expected '-' indicator"],
  ['a:\n  b: 1\n  - 2\n', 'yaml: line 2: did not find expected key'],
  ['a:\n\tb: 1\n', 'yaml: line 2: found character that cannot start any token'],
  ['\ta: 1\n', 'yaml: found character that cannot start any token'],
  ['a: 1\n\tb: 2\n', 'yaml: line 2: found a tab character that violates indentation'],
  ['a: b: c\n', 'yaml: mapping values are not allowed in this context'],
  ['a: b: c: d\n', 'yaml: mapping values are not allowed in this context'],
  ["a: 'x': y\n", 'yaml: mapping values are not allowed in this context'],
  ['- a\nb: 1\n', "yaml: line 1: did not find expected '-' indicator"],
  ['a: 1\n- b\n', 'yaml: line 1: did not find expected key'],
  ['a: [b: c: d]\n', "yaml: did not find expected ',' or ']'"],
  ['a: &x 1\nb: *y\n', "yaml: unknown anchor 'y' referenced"],
  ['a: @b\n', 'yaml: found character that cannot start any token'],
  ['a: `b\n', 'yaml: found character that cannot start any token'],
  ['a: %b\n', 'yaml: found character that cannot start any token'],
  ['key with: colon: here\n', 'yaml: mapping values are not allowed in this context'],
  ['a: |\n  x\n y\n', 'yaml: line 2: did not find expected key'],
  ['a: >\nb\n', "yaml: line 3: could not find expected ':'"],
  [
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 1\n   b: 2\n',
    'yaml: line 7: mapping values are not allowed in this context',
  ],
  ['a: *\n', 'yaml: did not find expected alphabetic or numeric character'],
  ['a: &\n', 'yaml: did not find expected alphabetic or numeric character'],
  ['a: !<x y\n', "yaml: did not find the expected '>'"],
  ['a: {b: c: d}\n', "yaml: did not find expected ',' or '}'"],
  ['a:\n  b\n  c: d\n', 'yaml: line 3: mapping values are not allowed in this context'],
  ['a: [\n', 'yaml: line 1: did not find expected node content'],
  ['a: {\n', 'yaml: line 1: did not find expected node content'],
  ['a: "\n', 'yaml: line 2: found unexpected end of stream'],
  ["a: '\n", 'yaml: line 2: found unexpected end of stream'],
  ['{\n', 'yaml: line 1: did not find expected node content'],
  [': a\n', 'yaml: did not find expected key'],
  ['a: 1\nb\nc: 2\n', "yaml: line 3: could not find expected ':'"],
  ['a: [1,\n  2\nb: 3\n', "yaml: line 2: did not find expected ',' or ']'"],
  ['a: {x: 1,\n  y: 2\nc: 3\n', "yaml: line 2: did not find expected ',' or '}'"],
  ['a: [1,\n', 'yaml: line 1: did not find expected node content'],
  ['a: {x: 1,\n', 'yaml: line 1: did not find expected node content'],
  [
    'spec:\n  containers:\n  - name: a\n    image: b\n   ports: []\n',
    'yaml: line 4: did not find expected key',
  ],
  [
    'spec:\n  containers:\n  - name: a\n     image: b\n',
    'yaml: line 4: mapping values are not allowed in this context',
  ],
  ['spec:\n  containers:\n    - name: a\n  - name: b\n', 'yaml: line 3: did not find expected key'],
  [
    'metadata:\n  name: x\n  labels:\n    app: y\n  annotations: {a: "b}\n',
    'yaml: line 6: found unexpected end of stream',
  ],
  ['data:\n  key: "value\n  other: x\n', 'yaml: line 4: found unexpected end of stream'],
  ["data:\n  key: 'it's'\n", 'yaml: line 1: did not find expected key'],
  ['a: [1, 2] x\n', 'yaml: did not find expected key'],
  ['a: {b: 1} # c\nd: {e: 2\n', "yaml: line 2: did not find expected ',' or '}'"],
  ['a: b\n\tc: d\n', 'yaml: line 2: found a tab character that violates indentation'],
  ['a:\n  - b\n\t- c\n', 'yaml: line 3: found a tab character that violates indentation'],
  ['a: 1\nb: 2\n  c: 3\n', 'yaml: line 3: mapping values are not allowed in this context'],
  ['- a\n- b\n  c: d\n', 'yaml: line 3: mapping values are not allowed in this context'],
  ['items:\n- a: 1\n  b: 2\n - c: 3\n', 'yaml: line 3: did not find expected key'],
  ['a: "x\\ty"\nb: "\\u00e9\\z"\n', 'yaml: line 2: found unknown escape character'],
  ['# comment\na: b: c\n', 'yaml: line 2: mapping values are not allowed in this context'],
  ['a:\n  b: c\n  d\n', "yaml: line 4: could not find expected ':'"],
  ['x: y\n: a\n', 'yaml: line 1: did not find expected key'],
  ['a: [b, {c: d]\n', "yaml: did not find expected ',' or '}'"],
  ["a: 'x\n\nb: 2", 'yaml: line 3: found unexpected end of stream'],
  ['a: [1, 2', "yaml: line 1: did not find expected ',' or ']'"],
  ["a: it's here\nb: [1\n", "yaml: line 2: did not find expected ',' or ']'"],
  ['a: x#y\nb: {c\n', "yaml: line 2: did not find expected ',' or '}'"],
];

/** The message `parseGoYaml` throws for `text` (its GoYamlError). */
function errorOf(text: string): string {
  try {
    parseGoYaml(text);
  } catch (e) {
    expect(e).toBeInstanceOf(GoYamlError);
    return (e as Error).message;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe('YAML syntax errors in go-yaml v2 words', () => {
  test.each(SYNTAX_ERRORS)('%j', (text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  test('a quote inside a plain word is no quoted scalar', () => {
    expect(errorOf("a: it's here\nb: [1\n")).toBe("yaml: line 2: did not find expected ',' or ']'");
  });
});

describe('what JSON cannot hold', () => {
  test('.nan and .inf, the first in sorted key order', () => {
    expect(errorOf('a: .nan\n')).toBe('json: unsupported value: NaN');
    expect(errorOf('a: .inf\n')).toBe('json: unsupported value: +Inf');
    expect(errorOf('b: -.Inf\na: [1, .NaN]\n')).toBe('json: unsupported value: NaN');
  });

  test('a null key, with the value in Go syntax', () => {
    expect(errorOf('~: a\n')).toBe(
      'unsupported map key of type: %!s(<nil>), key: <nil>, value: "a"',
    );
    expect(errorOf('x:\n  null: {b: [1, x]}\n')).toBe(
      'unsupported map key of type: %!s(<nil>), key: <nil>, value: map[interface {}]interface {}{"b":[]interface {}{1, "x"}}',
    );
    expect(errorOf('? \n: 1\n')).toBe(
      'unsupported map key of type: %!s(<nil>), key: <nil>, value: 1',
    );
  });

  test('a collection as a key', () => {
    expect(errorOf('b: {[1]: x}\n')).toBe('yaml: invalid map key: []interface {}{1}');
  });

  test('!!binary: base64 decoded to text, or refused', () => {
    expect(parseGoYaml('a: !!binary aGVsbG8=\n')).toEqual({ a: 'hello' });
    expect(errorOf('a: !!binary zz\n')).toBe('yaml: !!binary value contains invalid base64 data');
  });

  test('an unknown anchor', () => {
    expect(errorOf('a: &x 1\nb: *y\n')).toBe("yaml: unknown anchor 'y' referenced");
  });

  test('several documents: the first is read', () => {
    expect(parseGoYaml('a: 1\n---\nb: 2\n')).toEqual({ a: 1 });
  });
});
