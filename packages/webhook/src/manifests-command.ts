import { loadModule } from '@kube-ts/schema';
import { stringify } from 'yaml';
import type { WebhookTarget } from './manifests.js';
import type { WebhookServer } from './webhook-server.js';

/** Where the command writes and reads; injectable for tests. */
export interface ManifestsIO {
  /** Directory that relative paths and package names resolve from. */
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a file (for `--ca-file`). */
  readonly readFile: (path: string) => Promise<string>;
}

const USAGE = `Usage: kube-ts-webhook manifests <module> (--service NAMESPACE/NAME[:PORT] | --url https://HOST:PORT)
                                  [--ca-file CA.pem] [--annotation KEY=VALUE]...

Prints, as multi-document YAML, the ValidatingWebhookConfiguration,
MutatingWebhookConfiguration and the CRDs (with conversion.strategy: Webhook) of every
WebhookServer the module exports. <module> is a file path (./dist/webhook.js) or a
package name. --service renders the in-cluster form, --url the local-development form.
--ca-file fills caBundle; leave it out when cert-manager's CA injector fills it
(--annotation cert-manager.io/inject-ca-from=NAMESPACE/CERTIFICATE).
`;

class UsageError extends Error {}

function parseTarget(args: readonly string[]): {
  module: string;
  target: WebhookTarget;
  caFile: string | undefined;
} {
  let module: string | undefined;
  let service: { namespace: string; name: string; port?: number } | undefined;
  let url: string | undefined;
  let caFile: string | undefined;
  const annotations: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--service') {
      const m = /^([a-z0-9-]+)\/([a-z0-9-]+)(?::(\d+))?$/.exec(value());
      if (!m) throw new UsageError('--service takes NAMESPACE/NAME or NAMESPACE/NAME:PORT');
      service = { namespace: m[1]!, name: m[2]! };
      if (m[3]) service.port = Number(m[3]);
    } else if (a === '--url') url = value();
    else if (a === '--ca-file') caFile = value();
    else if (a === '--annotation') {
      const v = value();
      const eq = v.indexOf('=');
      if (eq <= 0) throw new UsageError('--annotation takes KEY=VALUE');
      annotations[v.slice(0, eq)] = v.slice(eq + 1);
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (module === undefined) module = a;
    else throw new UsageError(`one <module> only (got ${module} and ${a})`);
  }
  if (module === undefined) throw new UsageError('missing <module>');
  if ((service === undefined) === (url === undefined)) {
    throw new UsageError('give exactly one of --service or --url');
  }
  const extra = Object.keys(annotations).length ? { annotations } : {};
  const target: WebhookTarget = service ? { service, ...extra } : { url: url!, ...extra };
  return { module, target, caFile };
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs `kube-ts-webhook <args>`; returns the exit code (0 on success, 1 on an error, 2
 * on a usage error). Every error says what to do.
 */
export async function runManifestsCli(args: readonly string[], io: ManifestsIO): Promise<number> {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  let parsed: ReturnType<typeof parseTarget>;
  try {
    if (command !== 'manifests') {
      throw new UsageError(
        command === undefined ? 'missing command' : `unknown command "${command}"`,
      );
    }
    parsed = parseTarget(rest);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`kube-ts-webhook: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  const { module, caFile } = parsed;
  let target = parsed.target;
  if (caFile !== undefined) {
    try {
      const pem = await io.readFile(caFile);
      target = { ...target, caBundle: Buffer.from(pem, 'utf8').toString('base64') };
    } catch (err) {
      io.stderr(
        `kube-ts-webhook manifests: cannot read --ca-file ${caFile}: ${describeError(err)}\n`,
      );
      return 1;
    }
  }
  let exports: Record<string, unknown>;
  try {
    exports = await loadModule(module, io.cwd);
  } catch (err) {
    io.stderr(
      `kube-ts-webhook manifests: cannot load module "${module}": ${describeError(err)}\nCheck the path (relative to ${io.cwd}) or the package name, and build TypeScript sources first (point at the .js output).\n`,
    );
    return 1;
  }
  // By shape rather than instanceof: the module may load another copy of this package.
  const servers = [...new Set(Object.values(exports))].filter(
    (v): v is WebhookServer =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as WebhookServer).manifests === 'function' &&
      typeof (v as WebhookServer).validating === 'function',
  );
  if (servers.length === 0) {
    io.stderr(
      `kube-ts-webhook manifests: module "${module}" exports no WebhookServer; export the server you register handlers on (export const webhook = new WebhookServer(...)).\n`,
    );
    return 1;
  }
  const docs: unknown[] = [];
  try {
    for (const s of servers) {
      const m = s.manifests(target);
      if (m.validating) docs.push(m.validating);
      if (m.mutating) docs.push(m.mutating);
      docs.push(...m.crds);
    }
  } catch (err) {
    io.stderr(`kube-ts-webhook manifests: ${describeError(err)}\n`);
    return 1;
  }
  io.stdout(docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n'));
  return 0;
}
