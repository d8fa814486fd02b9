#!/usr/bin/env node
// Generates src/memory/protobuf/k8s-proto.json: the protobuf messages of every built-in
// kind kube-apiserver v1.36.3 serves (the generated.proto files that k8s.io/api,
// k8s.io/apimachinery, k8s.io/apiextensions-apiserver and k8s.io/kube-aggregator ship in
// the Go module cache once test-e2e/controlplane/build-binaries.sh has run), as a
// protobufjs JSON descriptor. MemoryApiServer decodes `application/vnd.kubernetes.protobuf`
// request bodies with it.
//
// The .proto files alone do not say how a message reads as JSON; the Go structs they were
// generated from do. So each field whose JSON form differs from its proto field gets
// options read from the struct tags of the package's Go sources:
//   json: "NAME"   its JSON name, when it is not the proto name ($ref, x-kubernetes-…)
//   inline: true   the struct is embedded in its parent's JSON (`json:",inline"`)
//   keep: true     a zero value stays in JSON (a pointer, or a field without omitempty)
//   pointer: true  a Go pointer: gogo-protobuf writes it only when set (other scalar and
//                  struct fields are always written, zero values included)
// and each message generated from a Go slice type (`type ExtraValue []string`) gets
// option list: true (its JSON is the bare array of its `items`).
//
// Usage: node packages/testing/scripts/generate-protobuf-schema.mjs
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import protobuf from 'protobufjs';

const modules = [
  'k8s.io/api@v0.36.3',
  'k8s.io/apimachinery@v0.36.3',
  'k8s.io/apiextensions-apiserver@v0.36.3',
  'k8s.io/kube-aggregator@v0.36.3',
];
const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
const out = new URL('../src/memory/protobuf/k8s-proto.json', import.meta.url).pathname;

/** Every generated.proto under a directory (skipping testdata and internal API copies). */
function protoFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!['testdata', 'internal', 'test', 'examples'].includes(name))
        found.push(...protoFiles(p));
    } else if (name === 'generated.proto') found.push(p);
  }
  return found;
}

/**
 * The struct fields of a Go package, by struct name and then by protobuf field name:
 * `{ json, omitempty, pointer, inline }`; plus the names of its slice types.
 */
function goFields(dir) {
  const structs = new Map();
  const lists = new Set();
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.go') || name.endsWith('_test.go') || name.startsWith('zz_')) continue;
    if (name === 'generated.pb.go') continue;
    const text = readFileSync(join(dir, name), 'utf8');
    for (const m of text.matchAll(/^type (\w+) \[\]\w/gm)) lists.add(m[1]);
    for (const m of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
      const fields = new Map();
      for (const line of m[2].split('\n')) {
        const tag = /`(.*)`/.exec(line)?.[1];
        const proto = tag && /protobuf:"[^"]*name=(\w+)/.exec(tag)?.[1];
        if (!proto) continue;
        const json = /json:"([^"]*)"/.exec(tag)?.[1] ?? '';
        const [jsonName, ...flags] = json.split(',');
        const decl = line.replace(/`.*`/, '').trim().split(/\s+/);
        const goType = decl.length > 1 ? decl[1] : decl[0];
        fields.set(proto, {
          json: jsonName,
          omitempty: flags.includes('omitempty') || flags.includes('omitzero'),
          pointer: goType.startsWith('*'),
          inline: flags.includes('inline'),
        });
      }
      structs.set(m[1], fields);
    }
  }
  return { structs, lists };
}

const root = new protobuf.Root();
for (const dir of modules) {
  const base = join(modCache, dir);
  for (const file of protoFiles(base)) {
    const parsed = protobuf.parse(readFileSync(file, 'utf8'), root, { keepCase: true });
    const pkg = parsed.package;
    const go = goFields(dirname(file));
    const ns = root.lookup(pkg);
    for (const type of Object.values(ns.nested ?? {})) {
      if (!(type instanceof protobuf.Type)) continue;
      if (go.lists.has(type.name)) type.setOption('list', true);
      const fields = go.structs.get(type.name);
      if (!fields) continue;
      for (const field of type.fieldsArray) {
        const g = fields.get(field.name);
        if (!g) continue;
        if (g.inline) field.setOption('inline', true);
        else if (g.json && g.json !== field.name) field.setOption('json', g.json);
        if (g.pointer || !g.omitempty) field.setOption('keep', true);
        if (g.pointer) field.setOption('pointer', true);
      }
    }
  }
}
root.resolveAll();
writeFileSync(out, `${JSON.stringify(root.toJSON())}\n`);
console.log(`wrote ${out}`);
