#!/usr/bin/env node
// Generates src/memory/openapi/openapi-v2-proto.json: the protobuf messages of an OpenAPI v2
// document as kube-apiserver encodes `/openapi/v2` for clients that ask for
// `application/com.github.proto-openapi.spec.v2@v1.0+protobuf` (gnostic-models'
// OpenAPIv2.proto, the version the pinned Kubernetes uses, from the Go module cache), as a
// protobufjs JSON descriptor with the proto field names kept.
//
// Usage: node packages/testing/scripts/generate-openapi-proto.mjs
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';

const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
const source = join(modCache, 'github.com/google/gnostic-models@v0.7.0/openapiv2/OpenAPIv2.proto');
const out = new URL('../src/memory/openapi/openapi-v2-proto.json', import.meta.url).pathname;

const root = new protobuf.Root().loadSync(source, { keepCase: true });
root.resolveAll();
writeFileSync(out, `${JSON.stringify(root.toJSON())}\n`);
