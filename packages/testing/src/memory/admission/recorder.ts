import type { ServerResponse } from 'node:http';
import { givenWarnings, warningHeaders } from '../warnings.js';

/**
 * Stands in for a ServerResponse while a write is tried (admission runs it up to three
 * times): keeps the answer of a single-shot request so that it can be sent, converted or
 * dropped afterwards.
 */
export class Recorder {
  code = 0;
  headers: Record<string, string | number | string[]> = {};
  /** The answer's bytes as written (a protobuf answer is not text). */
  private bytes: Buffer = Buffer.alloc(0);
  headersSent = false;
  /** Headers set before the answer (a deprecated resource's warning). */
  private readonly preset: Record<string, string | number | string[]> = {};

  setHeader(name: string, value: string | number | string[]): this {
    this.preset[name] = value;
    return this;
  }

  getHeader(name: string): string | number | string[] | undefined {
    return this.preset[name];
  }

  writeHead(code: number, headers: Record<string, string | number | string[]> = {}): this {
    this.code = code;
    this.headers = { ...this.preset, ...headers };
    this.headersSent = true;
    return this;
  }

  end(body?: string | Buffer): this {
    if (body !== undefined) this.bytes = Buffer.concat([this.bytes, Buffer.from(body)]);
    return this;
  }

  /** The answer's body as text. */
  get body(): string {
    return this.bytes.toString('utf8');
  }

  /** This recorder typed as what the request handler writes to. */
  get response(): ServerResponse {
    return this as unknown as ServerResponse;
  }

  /**
   * Sends the recorded answer (with a new body and its content type, when given) and the
   * warnings given after it.
   */
  sendTo(
    res: ServerResponse,
    warnings: readonly string[],
    body: string | Buffer = this.bytes,
    contentType?: string,
  ): void {
    const headers: Record<string, string | number | string[]> = {
      ...this.headers,
      ...(contentType ? { 'Content-Type': contentType } : {}),
      'Content-Length': Buffer.byteLength(body),
    };
    if (warnings.length > 0) {
      // After those given for the recorded answer, counted with them as one request's.
      headers.Warning = warningHeaders([...givenWarnings(this), ...warnings]);
    }
    res.writeHead(this.code, headers);
    res.end(body);
  }
}
