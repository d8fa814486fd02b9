/**
 * Differential: integers beyond 2^53 (which JavaScript's numbers round) cross the webhooks
 * exactly, as kube-apiserver's int64s do: an admission webhook's AdmissionReview carries the
 * object's `9007199254740993` as written, a mutating webhook's JSON patch value
 * `9007199254740995` is stored as written, and a conversion webhook receives the objects'
 * integers as written and the server serves what it answers as written. The webhook here
 * reads and writes raw text (a JSON parser would round the very numbers looked at).
 */
import { createServer, type Server } from 'node:https';
import { Api } from '@kube-ts/client';
import { caBundleOf, generateCertificates } from '@kube-ts/webhook';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installCrd, namespacedCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';
import { createCluster, mutatingConfigs, validatingConfigs } from './webhook-configs.js';

const suffix = uniqueSuffix();
const group = `bigint${suffix}.e2e.kube-ts.dev`;
const LABEL = 'e2e.kube-ts.dev/big-integers';
const BIG = '9007199254740993';
const PATCHED = '9007199254740995';

let e2e: E2eContext;
let ns: string;
let server: Server;
let url: string;
/** The request bodies each webhook path received, as text. */
const received = new Map<string, string[]>();

/**
 * The text of the JSON value that starts at `from` in `text` (an object or a list): its
 * brackets matched, strings skipped.
 */
function valueText(text: string, from: number): string {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return text.slice(from, i + 1);
    }
  }
  throw new Error(`no complete JSON value at ${from}`);
}

/**
 * A ConversionReview answer converting the request's objects to its desired version by
 * relabelling them in the text (so their numbers stay as written).
 */
function converted(text: string): string {
  const review = JSON.parse(text);
  const desired: string = review.request.desiredAPIVersion;
  const at = text.indexOf('[', text.indexOf('"objects":'));
  const objects = valueText(text, at).replace(
    new RegExp(`"apiVersion":"${group}/v[12]"`, 'g'),
    `"apiVersion":"${desired}"`,
  );
  const uid = JSON.stringify(review.request.uid);
  return `{"apiVersion":"apiextensions.k8s.io/v1","kind":"ConversionReview","response":{"uid":${uid},"result":{"status":"Success"},"convertedObjects":${objects}}}`;
}

/** An AdmissionReview answer allowing the request; on `/mutate` with a patch adding `spec.patched`. */
function admitted(path: string, text: string): string {
  const uid = JSON.stringify(JSON.parse(text).request.uid);
  const patch =
    path === '/mutate'
      ? `,"patchType":"JSONPatch","patch":"${Buffer.from(
          `[{"op":"add","path":"/spec/patched","value":${PATCHED}}]`,
        ).toString('base64')}"`
      : '';
  return `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":${uid},"allowed":true${patch}}}`;
}

const version = (name: string, storage: boolean) => ({
  name,
  served: true,
  storage,
  schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
});

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-big-integers');
  const certs = await generateCertificates();
  server = createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      // kube-apiserver adds the call's timeout to the URL (`?timeout=10s`).
      const path = new URL(req.url ?? '/', url).pathname;
      received.set(path, [...(received.get(path) ?? []), text]);
      res.setHeader('Content-Type', 'application/json');
      res.end(path === '/convert' ? converted(text) : admitted(path, text));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  url = `https://127.0.0.1:${port}`;
  e2e.onStop(() => new Promise<void>((r) => server.close(() => r())));
  const caBundle = caBundleOf(certs.caCert);
  const plural = 'gadgets';
  // Two versions, stored as v1, converted by the webhook here.
  const crd = namespacedCrd(group, 'Gadget', {});
  const spec = {
    ...crd.spec,
    versions: [version('v1', true), version('v2', false)],
    conversion: {
      strategy: 'Webhook',
      webhook: {
        conversionReviewVersions: ['v1'],
        clientConfig: { url: `${url}/convert`, caBundle },
      },
    },
  };
  await installCrd(e2e, { ...crd, spec }, `/apis/${group}/v1/namespaces/${ns}/${plural}`);
  const webhook = (kind: 'validate' | 'mutate') => ({
    name: `${kind}.gadgets.${group}`,
    clientConfig: { url: `${url}/${kind}`, caBundle },
    rules: [
      {
        operations: ['CREATE' as const],
        apiGroups: [group],
        apiVersions: ['v1'],
        resources: [plural],
      },
    ],
    objectSelector: { matchLabels: { [LABEL]: suffix } },
    sideEffects: 'None' as const,
    admissionReviewVersions: ['v1'],
    failurePolicy: 'Fail' as const,
  });
  const config = (kind: 'validate' | 'mutate') => ({
    metadata: { name: `${kind}.gadgets.${group}` },
    webhooks: [webhook(kind)],
  });
  await createCluster(e2e, Api.cluster(e2e.client, validatingConfigs), {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    ...config('validate'),
  });
  await createCluster(e2e, Api.cluster(e2e.client, mutatingConfigs), {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    ...config('mutate'),
  });
});

afterAll(() => e2e?.stop());

const kc = () => e2e.backend.kubeConfig;
const gadgets = (v: string) => `/apis/${group}/${v}/namespaces/${ns}/gadgets`;

describe('integers beyond 2^53', () => {
  test('reach admission webhooks as written, and a patch value is stored as written', async () => {
    // kube-apiserver may take a moment to see new webhook configurations: retry the create
    // until the validating webhook is called.
    let created: Awaited<ReturnType<typeof raw>> | undefined;
    for (let i = 0; i < 100 && !received.has('/validate'); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 200));
      const name = `admitted-${i}`;
      created = await raw(kc(), 'POST', gadgets('v1'), {
        body: `{"apiVersion":"${group}/v1","kind":"Gadget","metadata":{"name":"${name}","labels":{"${LABEL}":"${suffix}"}},"spec":{"big":${BIG}}}`,
      });
      expect(created.status, created.text).toBe(201);
    }
    expect(received.get('/mutate')?.at(-1)).toContain(`"spec":{"big":${BIG}}`);
    expect(received.get('/validate')?.at(-1)).toContain(`"big":${BIG}`);
    expect(received.get('/validate')?.at(-1)).toContain(`"patched":${PATCHED}`);
    expect(created?.text).toContain(`"spec":{"big":${BIG},"patched":${PATCHED}}`);
  });

  test('reach a conversion webhook as written, and its answer is served as written', async () => {
    const created = await raw(kc(), 'POST', gadgets('v1'), {
      body: `{"apiVersion":"${group}/v1","kind":"Gadget","metadata":{"name":"converted"},"spec":{"big":${BIG}}}`,
    });
    expect(created.status, created.text).toBe(201);
    const before = received.get('/convert')?.length ?? 0;
    const read = await raw(kc(), 'GET', `${gadgets('v2')}/converted`);
    expect(read.status, read.text).toBe(200);
    const sent = received.get('/convert')?.slice(before) ?? [];
    expect(sent.some((text) => text.includes(`"spec":{"big":${BIG}}`))).toBe(true);
    expect(read.text).toContain(`"apiVersion":"${group}/v2"`);
    expect(read.text).toContain(`"spec":{"big":${BIG}}`);
  });
});
