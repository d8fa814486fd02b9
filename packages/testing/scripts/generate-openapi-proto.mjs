#!/usr/bin/env node
// Generates src/memory/openapi/openapi-v2-proto.json and openapi-v3-proto.json: the protobuf
// messages of the OpenAPI documents as kube-apiserver encodes `/openapi/v2` and
// `/openapi/v3/<group-version>` for clients that ask for
// `application/com.github.proto-openapi.spec.v2@v1.0+protobuf` (or `.v3@…`) (gnostic-models'
// OpenAPIv2.proto and OpenAPIv3.proto, the version the pinned Kubernetes uses, from the Go
// module cache), as protobufjs JSON descriptors with the proto field names kept.
//
// Usage: node packages/testing/scripts/generate-openapi-proto.mjs
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';

const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
const gnostic = join(modCache, 'github.com/google/gnostic-models@v0.7.0');

for (const version of ['v2', 'v3']) {
  const source = join(gnostic, `openapi${version}/OpenAPI${version}.proto`);
  const out = new URL(`../src/memory/openapi/openapi-${version}-proto.json`, import.meta.url);
  const root = new protobuf.Root().loadSync(source, { keepCase: true });
  root.resolveAll();
  writeFileSync(out.pathname, `${JSON.stringify(root.toJSON())}\n`);
}
