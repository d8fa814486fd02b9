import type { ConfigMap, Pod } from '@kube-ts/k8s/core/v1';

/** Field manager the benchmark writes with. */
export const FIELD_MANAGER = 'kube-ts-bench';

/** Annotation that carries the writer's wall-clock time (ms, fractional) of an update. */
export const WRITTEN_AT = 'bench.kube-ts.dev/written-at';

/**
 * The label selector of the benchmark ConfigMaps: caches select them with it, so that
 * what a server puts into every namespace (MemoryApiServer's and kube-apiserver's
 * `kube-root-ca.crt`) is not counted.
 */
export const BENCH_SELECTOR = 'app=kube-ts-bench';

/** Number of data keys of a benchmark ConfigMap. */
const DATA_KEYS = 8;

/** 8 KiB of deterministic pseudo-random text that filler strings are cut from. */
const POOL = (() => {
  let out = '';
  let x = 2654435761;
  while (out.length < 8192) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += x.toString(36);
  }
  return out;
})();

/** Deterministic filler text of `length` (≤ 4096) characters, different for nearby seeds. */
function filler(seed: number, length: number): string {
  const offset = (seed * 7919) % (POOL.length - length);
  return POOL.slice(offset, offset + length);
}

/** The name of the `i`-th benchmark ConfigMap. */
export function configMapName(i: number): string {
  return `cm-${String(i).padStart(6, '0')}`;
}

/**
 * The `i`-th benchmark ConfigMap: about 1 KiB of data in 8 keys, two labels, one
 * annotation, and a managedFields entry shaped like the one kube-apiserver records for a
 * server-side apply of exactly these fields (so clients decode and cache what they would
 * from a real cluster). Serialized, the object is about 1.5 KiB with managedFields.
 */
export function benchConfigMap(namespace: string, i: number): ConfigMap {
  const data: Record<string, string> = {};
  const dataFields: Record<string, object> = {};
  for (let k = 0; k < DATA_KEYS; k++) {
    const key = `key-${k}.conf`;
    data[key] = filler(i * DATA_KEYS + k, 100);
    dataFields[`f:${key}`] = {};
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: configMapName(i),
      namespace,
      labels: { app: 'kube-ts-bench', shard: String(i % 16) },
      annotations: { 'bench.kube-ts.dev/index': String(i) },
      managedFields: [
        {
          manager: FIELD_MANAGER,
          operation: 'Apply',
          apiVersion: 'v1',
          time: new Date(0).toISOString(),
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:data': dataFields,
            'f:metadata': {
              'f:annotations': { 'f:bench.kube-ts.dev/index': {} },
              'f:labels': { '.': {}, 'f:app': {}, 'f:shard': {} },
            },
          },
        },
      ],
    },
    data,
  };
}

/**
 * The JSON merge patch of the `seq`-th update: it changes one data key and stamps the
 * writer's time (`performance.timeOrigin + performance.now()`, comparable across processes
 * on one machine) in the {@link WRITTEN_AT} annotation.
 */
export function updatePatch(seq: number, writtenAt: number): object {
  return {
    metadata: { annotations: { [WRITTEN_AT]: writtenAt.toFixed(3) } },
    data: { 'key-0.conf': filler(seq + 1_000_003, 100) },
  };
}

/** Wall-clock time in milliseconds with sub-millisecond precision, comparable across processes. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The name of the `i`-th benchmark Pod. */
export function podName(i: number): string {
  return `pod-${String(i).padStart(6, '0')}`;
}

/**
 * The `i`-th benchmark Pod (scenario 9, metadata-only ownership): one container with ten
 * environment variables and resource requests, the benchmark labels, no service account
 * token (so both backends store the same spec). Never scheduled: no node runs it.
 */
export function benchPod(namespace: string, i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName(i),
      namespace,
      labels: { app: 'kube-ts-bench', shard: String(i % 16) },
      annotations: { 'bench.kube-ts.dev/index': String(i) },
    },
    spec: {
      automountServiceAccountToken: false,
      containers: [
        {
          name: 'app',
          image: 'registry.example/app:1.0',
          env: Array.from({ length: 10 }, (_, k) => ({
            name: `VAR_${k}`,
            value: filler(i * 10 + k, 24),
          })),
          resources: { requests: { cpu: '100m', memory: '128Mi' } },
        },
      ],
    },
  };
}
