/**
 * Differential: kube-apiserver's request metrics. The same requests on PodTemplates (a
 * resource no controller writes) and on a custom resource of the test's own group, in a
 * namespace of their own: `apiserver_request_total` then counts each by the verb it
 * reports (`LIST` for a GET of a collection, `APPLY` for an apply patch, `WATCH` once a
 * watch ends), its dry run, group, version, resource, subresource, scope (a built-in
 * route's: `resource` for a name or a create, `namespace` for a namespace; a custom
 * resource's by what the request names, so a LIST by `metadata.name` is a `GET` of a
 * `resource`), component and code; `apiserver_longrunning_requests` counts the watches
 * streaming now. A few paths that are no resource are counted too (health, aggregated
 * discovery, OpenAPI v3), with empty group, version, resource and scope and the path as
 * `subresource`. `apiserver_request_duration_seconds` observes the same requests in
 * kube-apiserver's buckets (its family, labels and buckets compared, not the timings).
 * Only the series of the test's requests are compared: kube-apiserver's controllers list
 * and watch every resource across the cluster (`scope="cluster"`), and those series are
 * left out.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installOpenCrd } from './crd-install.js';
import { metricSample, metricSeries, scrapeMetrics } from './prometheus-text.js';
import { raw, rawWatch } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;
const GROUP = 'request-metrics.e2e.kube-ts.dev';
const admin = () => e2e.backend.kubeConfig;
/** A PodTemplate's template (the custom resource keeps it as it is). */
const TEMPLATE = {
  metadata: { labels: { a: 'b' } },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
};

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-request-metrics');
  await installOpenCrd(e2e, GROUP, 'Gadget', ns);
});

afterAll(async () => {
  await e2e?.stop();
});

/** The counts of `resource`'s requests, but those of cluster scope, by their labels. */
function counts(text: string, resource: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of metricSeries(text, 'apiserver_request_total')) {
    if (s.labels.resource !== resource || s.labels.scope === 'cluster') continue;
    const { verb, dry_run, scope, subresource, code, component } = s.labels;
    out.set(
      `${verb} ${scope} ${subresource}${dry_run ? ` dryRun=${dry_run}` : ''} ${component} ${code}`,
      s.value,
    );
  }
  return out;
}

/** What each series gained from `before` to `after` (those that gained). */
function gained(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of after) {
    const delta = value - (before.get(key) ?? 0);
    if (delta !== 0) out[key] = delta;
  }
  return out;
}

/** The same requests on a collection's objects. */
async function requests(collection: string, apiVersion: string, kind: string) {
  const body = (name: string) => ({
    apiVersion,
    kind,
    metadata: { name },
    template: TEMPLATE,
  });
  const expectStatus = async (p: ReturnType<typeof raw>, status: number) => {
    const res = await p;
    expect(res.status, res.text).toBe(status);
    return res;
  };
  const post = (name: string, query: Record<string, string> = {}) =>
    raw(admin(), 'POST', collection, { body: body(name), query });
  await expectStatus(post('a'), 201);
  await expectStatus(post('a'), 409);
  await expectStatus(post('b', { dryRun: 'All' }), 201);
  await expectStatus(raw(admin(), 'GET', `${collection}/a`), 200);
  await expectStatus(raw(admin(), 'GET', `${collection}/missing`), 404);
  await expectStatus(raw(admin(), 'GET', collection), 200);
  await expectStatus(
    raw(admin(), 'GET', collection, { query: { fieldSelector: 'metadata.name=a' } }),
    200,
  );
  const a = (await raw(admin(), 'GET', `${collection}/a`)).json();
  await expectStatus(
    raw(admin(), 'PUT', `${collection}/a`, {
      body: { ...a, metadata: { ...a.metadata, labels: { x: 'y' } } },
    }),
    200,
  );
  await expectStatus(
    raw(admin(), 'PATCH', `${collection}/a`, {
      body: { metadata: { labels: { z: 'w' } } },
      contentType: 'application/merge-patch+json',
    }),
    200,
  );
  await expectStatus(
    raw(admin(), 'PATCH', `${collection}/c`, {
      body: JSON.stringify(body('c')),
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: 'e2e' },
    }),
    201,
  );
  await expectStatus(raw(admin(), 'DELETE', `${collection}/a`), 200);
  await expectStatus(raw(admin(), 'DELETE', collection), 200);
  // A watch that ends after a second.
  await expectStatus(
    raw(admin(), 'GET', collection, { query: { watch: '1', timeoutSeconds: '1' } }),
    200,
  );
}

/** What {@link requests} adds to the counts but its GETs and LISTs (in a namespace). */
const COUNTED = {
  'POST resource  apiserver 201': 1,
  'POST resource  apiserver 409': 1,
  'POST resource  dryRun=All apiserver 201': 1,
  'GET resource  apiserver 404': 1,
  'PUT resource  apiserver 200': 1,
  'PATCH resource  apiserver 200': 1,
  'APPLY resource  apiserver 201': 1,
  'DELETE resource  apiserver 200': 1,
  'DELETE namespace  apiserver 200': 1,
  'WATCH namespace  apiserver 200': 1,
};

describe('request metrics as kube-apiserver counts them', () => {
  test('apiserver_request_total counts a built-in resource’s requests', async () => {
    const before = counts(await scrapeMetrics(admin()), 'podtemplates');
    await requests(`/api/v1/namespaces/${ns}/podtemplates`, 'v1', 'PodTemplate');
    // A watch is counted when its handler returns, just after its response ended.
    await expect
      .poll(
        async () => gained(before, counts(await scrapeMetrics(admin()), 'podtemplates')),
        EVENTUALLY,
      )
      .toEqual({
        ...COUNTED,
        // Two GETs by name; the LIST and the LIST by `metadata.name` of a built-in route.
        'GET resource  apiserver 200': 2,
        'LIST namespace  apiserver 200': 2,
      });
    const text = await scrapeMetrics(admin());
    expect(text).toContain(
      '# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for ' +
        'each verb, dry run value, group, version, resource, scope, component, and HTTP response code.\n' +
        '# TYPE apiserver_request_total counter\n',
    );
    const labels = {
      verb: 'APPLY',
      dry_run: '',
      group: '',
      version: 'v1',
      resource: 'podtemplates',
      subresource: '',
      scope: 'resource',
      component: 'apiserver',
      code: '201',
    };
    expect(metricSample(text, 'apiserver_request_total', labels)).toBeGreaterThanOrEqual(1);
  });

  test('a custom resource’s requests are scoped by what they name', async () => {
    const plural = 'gadgets';
    const before = counts(await scrapeMetrics(admin()), plural);
    await requests(`/apis/${GROUP}/v1/namespaces/${ns}/${plural}`, `${GROUP}/v1`, 'Gadget');
    await expect
      .poll(async () => gained(before, counts(await scrapeMetrics(admin()), plural)), EVENTUALLY)
      .toEqual({
        ...COUNTED,
        // Two GETs by name and the LIST by `metadata.name`.
        'GET resource  apiserver 200': 3,
        'LIST namespace  apiserver 200': 1,
      });
  });

  test('a few paths that are no resource are counted, each with labels of its own', async () => {
    // Every request asks `dryRun=All`, which the real cluster's own requests for these
    // paths never carry, so only the test's are compared.
    const ours = (text: string) => {
      const out = new Map<string, number>();
      for (const s of metricSeries(text, 'apiserver_request_total')) {
        const { verb, group, version, resource, subresource, scope, component, code } = s.labels;
        if (resource !== '' || s.labels.dry_run !== 'All') continue;
        out.set(
          `${verb} ${group}/${version}/${scope} ${subresource} [${component}] ${code}`,
          s.value,
        );
      }
      return out;
    };
    const aggregated =
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const requests: [
      path: string,
      status: number,
      query?: Record<string, string>,
      accept?: string,
    ][] = [
      ['/healthz', 200],
      ['/healthz', 200, { watch: '1' }],
      ['/healthz/ping', 200],
      ['/livez', 200],
      ['/readyz', 200],
      ['/version', 200],
      ['/api', 200],
      ['/apis', 200],
      ['/apis/apps', 200],
      ['/api', 200, {}, aggregated],
      ['/apis', 200, {}, aggregated],
      ['/apis', 200, {}, aggregated],
      ['/openapi/v3', 200],
      ['/openapi/v3/api/v1', 200],
      ['/openapi/v3/nothing', 404],
      ['/openapi/v2', 200],
    ];
    const before = ours(await scrapeMetrics(admin()));
    for (const [path, status, query, accept] of requests) {
      const res = await raw(admin(), 'GET', path, {
        query: { dryRun: 'All', ...query },
        ...(accept ? { accept } : {}),
      });
      expect(res.status, `${path}: ${res.text.slice(0, 200)}`).toBe(status);
    }
    // The health endpoints (not a single check), aggregated discovery (not the legacy
    // lists), OpenAPI v3's index and documents; not /version nor OpenAPI v2.
    await expect
      .poll(async () => gained(before, ours(await scrapeMetrics(admin()))), EVENTUALLY)
      .toEqual({
        'GET // /healthz [] 200': 1,
        'WATCH // /healthz [] 200': 1,
        'GET // /livez [] 200': 1,
        'GET // /readyz [] 200': 1,
        'GET // api [apiserver] 200': 1,
        'GET // apis [apiserver] 200': 2,
        'GET // openapi/v3 [] 200': 1,
        'GET // openapi/v3/ [] 200': 1,
        'GET // openapi/v3/ [] 404': 1,
      });
  });

  test('apiserver_request_duration_seconds observes each counted request in kube-apiserver’s buckets', async () => {
    const name = 'apiserver_request_duration_seconds';
    // Only the test's requests carry `dryRun=All`.
    const key = (l: Record<string, string>) =>
      `${l.verb} ${l.group}/${l.version}/${l.resource} ${l.scope} ${l.subresource} [${l.component}]`;
    const ours = (text: string, metric: string) =>
      metricSeries(text, metric).filter((s) => s.labels.dry_run === 'All');
    const counted = (text: string) =>
      new Map(ours(text, `${name}_count`).map((s) => [key(s.labels), s.value]));
    const before = counted(await scrapeMetrics(admin()));
    const templates = `/api/v1/namespaces/${ns}/podtemplates`;
    for (const path of [templates, templates, '/healthz']) {
      const res = await raw(admin(), 'GET', path, { query: { dryRun: 'All' } });
      expect(res.status, res.text).toBe(200);
    }
    await expect
      .poll(async () => gained(before, counted(await scrapeMetrics(admin()))), EVENTUALLY)
      .toEqual({
        'LIST /v1/podtemplates namespace  [apiserver]': 2,
        'GET //  /healthz []': 1,
      });
    const text = await scrapeMetrics(admin());
    expect(text).toContain(
      `# HELP ${name} [STABLE] Response latency distribution in seconds for each verb, dry run ` +
        'value, group, version, resource, subresource, scope and component.\n' +
        `# TYPE ${name} histogram\n`,
    );
    // Each series: the same buckets, cumulative, `+Inf` its count (timings are not compared).
    const buckets = new Map<string, { le: string; value: number }[]>();
    for (const s of ours(text, `${name}_bucket`)) {
      const { le, ...labels } = s.labels;
      const k = key(labels);
      buckets.set(k, [...(buckets.get(k) ?? []), { le: le!, value: s.value }]);
    }
    const count = counted(text);
    for (const k of ['LIST /v1/podtemplates namespace  [apiserver]', 'GET //  /healthz []']) {
      const series = buckets.get(k)!;
      expect(series.map((b) => b.le)).toEqual([
        ...['0.005', '0.025', '0.05', '0.1', '0.2', '0.4', '0.6', '0.8', '1', '1.25', '1.5'],
        ...['2', '3', '4', '5', '6', '8', '10', '15', '20', '30', '45', '60', '+Inf'],
      ]);
      const values = series.map((b) => b.value);
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(values.at(-1)).toBe(count.get(k));
    }
  });

  test('apiserver_longrunning_requests counts the watches streaming now', async () => {
    const series = (scope: string) => ({
      verb: 'WATCH',
      group: '',
      version: 'v1',
      resource: 'podtemplates',
      subresource: '',
      scope,
      component: 'apiserver',
    });
    const streaming = (text: string, scope: string) =>
      metricSample(text, 'apiserver_longrunning_requests', series(scope)) ?? 0;
    const before = await scrapeMetrics(admin());
    let during = '';
    const path = `/api/v1/namespaces/${ns}/podtemplates`;
    // A watch of the namespace and, once it streams, one of a single object by name.
    await rawWatch(
      admin(),
      path,
      {},
      () => true,
      () =>
        rawWatch(
          admin(),
          path,
          { fieldSelector: 'metadata.name=one' },
          () => true,
          async () => {
            during = await scrapeMetrics(admin());
            // An event for both watches, which then end.
            const created = await raw(admin(), 'POST', path, {
              body: { metadata: { name: 'one' }, template: TEMPLATE },
            });
            expect(created.status, created.text).toBe(201);
          },
        ).then(() => undefined),
    );
    expect(streaming(during, 'namespace') - streaming(before, 'namespace')).toBe(1);
    expect(streaming(during, 'resource') - streaming(before, 'resource')).toBe(1);
    expect(during).toContain(
      '# HELP apiserver_longrunning_requests [STABLE] Gauge of all active long-running ' +
        'apiserver requests broken out by verb, group, version, resource, scope and component. ' +
        'Not all requests are tracked this way.\n',
    );
    // Both gone once they end (the series stay, at their count before).
    await expect
      .poll(async () => {
        const after = await scrapeMetrics(admin());
        return [streaming(after, 'namespace'), streaming(after, 'resource')];
      }, EVENTUALLY)
      .toEqual([streaming(before, 'namespace'), streaming(before, 'resource')]);
  });
});
