import { badRequest } from './errors.js';

/** What a continue token carries: the list's resourceVersion and the last key returned. */
export interface ContinueState {
  rv: number;
  start: string;
}

/** Encodes a continue token (base64url of a small JSON document, like kube-apiserver's). */
export function encodeContinue(s: ContinueState): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: s.rv, start: s.start })).toString(
    'base64url',
  );
}

/** Decodes a continue token, answering 400 when it is not one of ours. */
export function decodeContinue(token: string): ContinueState {
  try {
    const doc = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: string;
      rv?: number;
      start?: string;
    };
    if (doc.v !== 'meta.k8s.io/v1' || typeof doc.rv !== 'number' || typeof doc.start !== 'string') {
      throw new Error('bad document');
    }
    return { rv: doc.rv, start: doc.start };
  } catch {
    throw badRequest(
      'invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}
