import type { IncomingMessage } from 'node:http';
import { decodeProtobuf, PROTOBUF_MEDIA_TYPE } from './decode.js';

/**
 * A request's body as text. A protobuf body (client-go's generated clients send one by
 * default) is decoded into the JSON it stands for, and the request's Content-Type becomes
 * `application/json`, so that everything after reads JSON only.
 */
export function requestBodyText(req: IncomingMessage, body: Buffer): string {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== PROTOBUF_MEDIA_TYPE || body.length === 0) return body.toString('utf8');
  const text = JSON.stringify(decodeProtobuf(body));
  req.headers['content-type'] = 'application/json';
  return text;
}
