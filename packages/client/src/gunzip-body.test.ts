import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipBody } from './gunzip-body.js';

const text = JSON.stringify({
  items: Array.from({ length: 2000 }, (_, i) => ({ i, s: 'x'.repeat(50) })),
});

describe('gunzipBody', () => {
  it('decodes a body into one buffer of exactly its length', async () => {
    const out = await gunzipBody(gzipSync(text));
    expect(out.toString('utf8')).toBe(text);
    expect(out.length).toBe(Buffer.byteLength(text));
  });

  it('refuses a body whose trailer states another length, as gzip does', async () => {
    for (const claimed of [1, 0xffffffff]) {
      const gz = gzipSync(text);
      gz.writeUInt32LE(claimed, gz.length - 4);
      await expect(gunzipBody(gz)).rejects.toThrow();
    }
  });

  it('decodes a body of two gzip members (the trailer holds only the last one’s length)', async () => {
    const gz = Buffer.concat([gzipSync(text), gzipSync('tail')]);
    expect((await gunzipBody(gz)).toString('utf8')).toBe(`${text}tail`);
  });

  it('refuses a body that is not gzip, an empty one and a truncated one (as the stream decoder did)', async () => {
    await expect(gunzipBody(Buffer.from('not gzip at all'))).rejects.toThrow();
    await expect(gunzipBody(Buffer.alloc(0))).rejects.toThrow();
    await expect(gunzipBody(gzipSync(text).subarray(0, 100))).rejects.toThrow();
  });
});
