/**
 * Differential: client-go's typed clientset (v0.36.3, with its default content type:
 * protobuf bodies and answers, protobuf watch frames), on the kubeconfig file the API
 * server's tooling writes (MemoryApiServer's `writeKubeconfig` as is), runs a short script
 * (test-e2e/clientgo/main.go): version, discovery, watch, create, get, update, a stale
 * update (conflict), strategic merge patch, list, a Deployment's scale, delete, NotFound,
 * the OpenAPI v2 document as kubectl reads it (protobuf) with a strategic-merge lookup, and
 * the OpenAPI v3 documents in protobuf, compared with kube-openapi's encoding of their JSON.
 * The program is built once by test-e2e/clientgo/build.sh (cached under ~/.cache/kube-ts).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2eContext, startE2e } from './support.js';

const exec = promisify(execFile);
const buildScript = fileURLToPath(new URL('../clientgo/build.sh', import.meta.url));

let e2e: E2eContext;
let ns: string;
let dir: string;
let program: string;

beforeAll(async () => {
  // A cold Go build cache compiles client-go: minutes on two cores.
  program = (await exec('bash', [buildScript], { maxBuffer: 1 << 24 })).stdout.trim();
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-client-go');
  dir = await mkdtemp(join(tmpdir(), 'kube-ts-client-go-'));
}, 900_000);

afterAll(async () => {
  await e2e?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('a script of client-go typed-clientset calls gives the same answers', async () => {
  const kubeconfig = join(dir, 'kubeconfig');
  await e2e.backend.writeKubeconfig(kubeconfig);
  const { stdout } = await exec(program, [kubeconfig, ns]);
  const steps = Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: string; value?: unknown; error?: string })
      .map((s) => [s.step, s.error ? { error: s.error } : (s.value ?? null)]),
  );
  const discovery = steps.discovery as string[];
  expect(discovery).toEqual(
    expect.arrayContaining(['v1', 'apps/v1', 'autoscaling/v2', 'policy/v1', 'batch/v1']),
  );
  delete steps.discovery;
  expect(steps).toEqual({
    version: 'v1.36.3',
    create: { a: '1' },
    watch: { type: 'ADDED', name: 'cg' },
    get: { a: '1' },
    update: { a: '1', b: '2' },
    'update-stale-is-conflict': true,
    'strategic-patch': { b: '2', d: '4' },
    list: ['cg'],
    'create-deployment': null,
    scale: 3,
    delete: null,
    'get-deleted-is-not-found': true,
    // Protobuf both ways (a strategic merge patch is JSON); JSON only for /version and
    // aggregated discovery (client-go asks for those in JSON).
    wire: {
      sent: ['application/strategic-merge-patch+json', 'application/vnd.kubernetes.protobuf'],
      received: [
        'application/json',
        'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
        'application/vnd.kubernetes.protobuf',
        'application/vnd.kubernetes.protobuf;stream=watch',
      ],
    },
    // OpenAPISchema() asks for protobuf: the decoded document is the JSON one, and
    // client-side strategic merge finds a Deployment's containers merged on `name`.
    openapi: { sameAsJSON: true, containersMergeOn: 'name', containersPatch: ['merge'] },
    // Every OpenAPI v3 document in protobuf is, byte for byte, its JSON document as
    // kube-openapi encodes it (gnostic's ParseDocument, then proto.Marshal).
    'openapi-v3': {
      documents: true,
      differ: [],
      openapi: '3.0.0',
      corePaths: true,
      coreSchemas: true,
    },
  });
});
