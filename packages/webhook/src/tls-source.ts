import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { type GenerateCertificatesOptions, generateCertificates } from './certificates.js';

/**
 * Where the serving certificate comes from:
 * - omitted: a CA and serving certificate are generated at start (see `hosts`);
 * - `{ cert, key, caCert? }`: PEM given in memory (e.g. from `generateCertificates`);
 * - `{ certFile, keyFile, caFile? }`: PEM files, read at start and re-read every
 *   `reloadIntervalMs`; a changed pair is served to new connections without a restart
 *   (cert-manager rotating a mounted Secret).
 */
export type TlsOptions =
  | { readonly cert: string; readonly key: string; readonly caCert?: string }
  | {
      readonly certFile: string;
      readonly keyFile: string;
      readonly caFile?: string;
      /** How often the files are checked for a change (default 10 000 ms). */
      readonly reloadIntervalMs?: number;
    };

/** The PEM material the server currently serves with. */
export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** The CA that signed `cert`, when known. */
  readonly caCert: string | undefined;
}

/** Reads the current material and tells when it changes. */
export interface TlsSource {
  /** The material to start with. */
  load(): Promise<TlsMaterial>;
  /**
   * Calls `onChange` with new material whenever it changes, until `signal` aborts;
   * `onError` gets read or parse failures (the old material stays in use).
   */
  watch(
    signal: AbortSignal,
    onChange: (m: TlsMaterial) => void,
    onError: (err: Error) => void,
  ): void;
}

/**
 * Throws unless `cert` and `key` make a usable TLS context (a matching pair). Both are
 * parsed first: `createSecureContext` silently skips an empty key or certificate, which
 * is what a reader sees while a rotation has truncated a file and not yet rewritten it.
 */
export function checkPair(m: TlsMaterial): void {
  const cert = new X509Certificate(m.cert);
  if (!cert.checkPrivateKey(createPrivateKey(m.key))) {
    throw new Error('the private key does not match the certificate');
  }
  createSecureContext({ cert: m.cert, key: m.key });
}

async function readFiles(o: {
  certFile: string;
  keyFile: string;
  caFile?: string;
}): Promise<TlsMaterial> {
  const [cert, key, caCert] = await Promise.all([
    readFile(o.certFile, 'utf8'),
    readFile(o.keyFile, 'utf8'),
    o.caFile ? readFile(o.caFile, 'utf8') : Promise.resolve(undefined),
  ]);
  return { cert, key, caCert };
}

function describe(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * The {@link TlsSource} for the options: generated, in memory, or files watched for
 * rotation. A rotated pair is used only once the certificate and the key match (a
 * rotation that writes one file before the other is picked up on the next check).
 */
export function tlsSource(
  options: TlsOptions | undefined,
  generate: GenerateCertificatesOptions,
): TlsSource {
  if (options === undefined) {
    return {
      load: async () => {
        const c = await generateCertificates(generate);
        return { cert: c.cert, key: c.key, caCert: c.caCert };
      },
      watch: () => {},
    };
  }
  if ('cert' in options) {
    const m = { cert: options.cert, key: options.key, caCert: options.caCert };
    return { load: async () => m, watch: () => {} };
  }
  let last: TlsMaterial | undefined;
  return {
    load: async () => {
      let m: TlsMaterial;
      try {
        m = await readFiles(options);
        checkPair(m);
      } catch (err) {
        throw new Error(
          `webhook TLS: cannot use certFile ${options.certFile} with keyFile ${options.keyFile}: ${describe(err).message}`,
          { cause: err },
        );
      }
      last = m;
      return m;
    },
    watch: (signal, onChange, onError) => {
      const interval = options.reloadIntervalMs ?? 10_000;
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        readFiles(options)
          .then((m) => {
            if (m.cert === last?.cert && m.key === last.key && m.caCert === last.caCert) return;
            checkPair(m);
            last = m;
            onChange(m);
          })
          .catch((err: unknown) => onError(describe(err)))
          .finally(() => {
            busy = false;
          });
      }, interval);
      timer.unref();
      signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    },
  };
}
