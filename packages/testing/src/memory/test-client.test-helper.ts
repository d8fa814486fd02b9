/** A decoded HTTP answer: status, headers and the JSON body (undefined when not JSON). */
export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** The server a test talks to: its URL and the kubeconfig that holds its admin token. */
export interface TestTarget {
  readonly url: string;
  readonly kubeConfig: { getCurrentUser(): { token?: string } | null };
}

/** The `Authorization` header of the server's admin (a request without one is anonymous). */
export function adminHeaders(server: TestTarget): Record<string, string> {
  return { authorization: `Bearer ${server.kubeConfig.getCurrentUser()?.token ?? ''}` };
}

/**
 * A tiny JSON-over-fetch client for the server's own tests (the real client lives in
 * @kube-ts/client, which depends on this package, so it cannot be used here); it sends
 * the admin's token.
 */
export function httpClient(server: TestTarget) {
  const base = server.url;
  // biome-ignore lint/suspicious/noExplicitAny: test helper answers arbitrary JSON.
  return async function call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<Answer<T>> {
    const init: RequestInit = {
      method,
      headers: { 'content-type': contentType, ...adminHeaders(server) },
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const r = await fetch(base + path, init);
    const text = await r.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: r.status, headers: r.headers, body: parsed as T };
  };
}

/** One watch event as decoded from the stream. */
export interface WatchLine {
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: events carry arbitrary objects.
  object: any;
}

/**
 * Opens a watch and returns a reader that yields decoded event lines; `close()` aborts.
 * `next()` resolves with undefined when the server ends the stream.
 */
export async function openWatch(server: TestTarget, path: string) {
  const ac = new AbortController();
  const r = await fetch(server.url + path, { signal: ac.signal, headers: adminHeaders(server) });
  const reader = r.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const lines: WatchLine[] = [];
  let done = false;
  async function next(): Promise<WatchLine | undefined> {
    while (lines.length === 0 && !done) {
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) {
        done = true;
        break;
      }
      buf += decoder.decode(chunk.value, { stream: true });
      let i = buf.indexOf('\n');
      while (i >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.trim()) lines.push(JSON.parse(line) as WatchLine);
        i = buf.indexOf('\n');
      }
    }
    return lines.shift();
  }
  return {
    status: r.status,
    next,
    /** Reads `n` events (fails the test through a thrown error if the stream ends first). */
    async take(n: number): Promise<WatchLine[]> {
      const out: WatchLine[] = [];
      for (let k = 0; k < n; k++) {
        const e = await next();
        if (!e) throw new Error(`watch ended after ${out.length} of ${n} events`);
        out.push(e);
      }
      return out;
    },
    close(): void {
      ac.abort();
    },
  };
}

/** Polls `read` until `done` holds of its result (controllers run in later ticks). */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not reached');
}
