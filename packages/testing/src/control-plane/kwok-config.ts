import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { ControlPlaneError } from './errors.js';
import { BUILD_BINARIES_COMMAND } from './version.js';

/**
 * A kwok configuration object (`apiVersion: kwok.x-k8s.io/v1alpha1`), as kwok's documentation
 * writes it: a `ClusterExec`, `ClusterLogs`, `ClusterAttach` or `ClusterPortForward` (or
 * their namespaced forms `Exec`, `Logs`, `Attach`, `PortForward`) that tells kwok's fake
 * kubelet what to run for `exec`, where the `logs` of a container come from, and where
 * `port-forward` connects, or a `Stage` added to the default node and pod stages.
 *
 * @example
 * ```ts
 * // Every container of every pod runs exec commands on this machine, in /tmp:
 * { apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'ClusterExec', metadata: { name: 'all' },
 *   spec: { execs: [{ local: { workDir: '/tmp' } }] } }
 * ```
 */
export interface KwokResource {
  /** `kwok.x-k8s.io/v1alpha1`. */
  readonly apiVersion: string;
  /** The kind, e.g. `ClusterExec`. */
  readonly kind: string;
  /** Its name (and namespace, for the namespaced kinds, which name a pod). */
  readonly metadata: { readonly name: string; readonly namespace?: string };
  /** The kind's spec, as kwok's API reference describes it. */
  readonly spec: Readonly<Record<string, unknown>>;
}

/** The directory beside the kwok binary that holds its node and pod stages. */
export function stagesDirectory(kwokBinary: string): string {
  return join(dirname(kwokBinary), 'stages');
}

/**
 * Writes kwok's configuration file: the stage files of `stagesDir` (kwok's fast node and pod
 * stages, copied there by the build script), then `resources`, as one multi-document YAML.
 *
 * @throws {ControlPlaneError} when `stagesDir` holds no `.yaml` file.
 */
export async function writeKwokConfig(
  path: string,
  stagesDir: string,
  resources: readonly KwokResource[],
): Promise<void> {
  const files = await readdir(stagesDir).catch(() => []);
  const stages = files.filter((name) => name.endsWith('.yaml')).sort();
  if (stages.length === 0) {
    throw new ControlPlaneError(
      `kwok's node and pod stages were not found in ${stagesDir} (the build script copies them ` +
        `beside the kwok binary); run \`${BUILD_BINARIES_COMMAND}\` from the kube-ts repository root.`,
    );
  }
  const documents = [
    ...(await Promise.all(stages.map((name) => readFile(join(stagesDir, name), 'utf8')))),
    ...resources.map((resource) => stringify(resource)),
  ];
  await writeFile(path, documents.map((d) => d.trimEnd()).join('\n---\n'), { mode: 0o600 });
}
