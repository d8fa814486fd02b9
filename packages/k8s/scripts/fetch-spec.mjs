#!/usr/bin/env node
// Downloads the OpenAPI v3 documents that kube-apiserver serves into packages/k8s/spec/,
// one minified JSON file per document, plus the `/openapi/v3` index (without its hashes,
// so an unchanged server gives unchanged files) and the Swagger 2.0 document of
// `/openapi/v2` (openapi__v2.json, which MemoryApiServer serves; the generator ignores
// it). The server is the repository's pinned kube-apiserver, started with
// @kube-ts/testing's ControlPlane (build the binaries first: `bash test-e2e/controlplane/build-binaries.sh`, and `npx tsc -b packages/testing`).
//
// Usage: node packages/k8s/scripts/fetch-spec.mjs
//
// @kube-ts/testing is imported through the workspace's node_modules instead of being a
// dependency of @kube-ts/k8s: testing depends on core, which depends on k8s.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { ControlPlane, KUBERNETES_VERSION } from '@kube-ts/testing';
import { specFileName } from './spec-files.mjs';

const specDir = new URL('../spec/', import.meta.url).pathname;

/** GETs `path` from the control plane as JSON, with the admin client certificate. */
function getJson(plane, path) {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, plane.url),
      { ...plane.tls, headers: { accept: 'application/json' }, timeout: 60_000 },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            reject(new Error(`GET ${path}: HTTP ${res.statusCode}: ${body.slice(0, 200)}`));
            return;
          }
          resolve(JSON.parse(body));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer in 60 s`)));
    req.on('error', reject);
    req.end();
  });
}

const plane = await ControlPlane.start();
try {
  const index = await getJson(plane, '/openapi/v3');
  const docs = Object.keys(index.paths).sort();
  await mkdir(specDir, { recursive: true });
  for (const file of await readdir(specDir)) {
    if (file.endsWith('.json')) await rm(join(specDir, file));
  }
  for (const path of docs) {
    const doc = await getJson(plane, index.paths[path].serverRelativeURL);
    await writeFile(join(specDir, specFileName(path)), `${JSON.stringify(doc)}\n`);
  }
  const swagger = await getJson(plane, '/openapi/v2');
  await writeFile(join(specDir, 'openapi__v2.json'), `${JSON.stringify(swagger)}\n`);
  await writeFile(
    join(specDir, 'index.json'),
    `${JSON.stringify({ kubernetesVersion: KUBERNETES_VERSION, paths: docs }, null, 2)}\n`,
  );
  console.log(`wrote ${docs.length} documents of Kubernetes ${KUBERNETES_VERSION} to ${specDir}`);
} finally {
  await plane.stop();
}
