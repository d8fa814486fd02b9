import type { IncomingMessage, ServerResponse } from 'node:http';
import { userOf } from '../auth/authenticate.js';
import { parseKeeping } from '../big-integers.js';
import { streamTarget } from '../containers/pod-target.js';
import { admittedDeleteOptions, requestDeleteOptions } from '../deletion.js';
import { badRequest, invalid } from '../errors.js';
import { goEncoded, goJson } from '../go-json.js';
import { handle, type RequestContext } from '../http-handler.js';
import { isObject, type JsonObject } from '../json.js';
import { jsonPatch } from '../json-patch.js';
import { mergePatch } from '../merge-patch.js';
import { markLongRunning } from '../metrics/long-running.js';
import { metaOf } from '../object-meta.js';
import { encodeBody } from '../output/encode.js';
import { contentTypeOf, negotiate } from '../output/negotiate.js';
import {
  toPartialObjectMetadata,
  toPartialObjectMetadataList,
} from '../output/partial-metadata.js';
import { parseBody } from '../request-body.js';
import { apiVersionOf, resourceKey } from '../resource-types.js';
import { sendError } from '../respond.js';
import { type ResourceRoute, route } from '../router.js';
import { objectKey } from '../storage.js';
import {
  checkNodeProxy,
  checkPodProxy,
  checkServiceProxy,
} from '../subresources/proxy-location.js';
import { toTable } from '../table.js';
import { giveWarning } from '../warnings.js';
import { admitDeleteCollection } from './admit-collection.js';
import { admitConnect, type ConnectTarget, connectTarget } from './admit-connect.js';
import { admitRequest, admitWrite, hasWebhooks, rewritten } from './admit-write.js';
import {
  conversionWebhookOf,
  convertObjects,
  requireResolvable,
  storageVersionOf,
} from './conversion.js';
import { madeAtVersion } from './converted-writes.js';
import type { AdmissionAttributes } from './matching.js';
import { Recorder } from './recorder.js';

function isWebhookConfiguration(r: ResourceRoute): boolean {
  return r.t.group === 'admissionregistration.k8s.io';
}

function isWrite(req: IncomingMessage): boolean {
  return ['POST', 'PUT', 'PATCH'].includes((req.method ?? 'GET').toUpperCase());
}

function isDryRun(url: URL): boolean {
  return url.searchParams.getAll('dryRun').includes('All');
}

/**
 * Handles a request like `handle`, calling the admission webhooks (Mutating/Validating
 * WebhookConfigurations stored in the server) on writes, and the CRD's conversion webhook
 * on reads and writes of a version other than the storage version. Without either,
 * the request is handled synchronously as before.
 */
export function serveRequest(
  ctx: RequestContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
): void {
  const s = ctx.state;
  const url = new URL(req.url ?? '/', 'http://localhost');
  const connect = connectTarget(s, url.pathname);
  if (connect) {
    serveConnect(ctx, connect, url, req, res, body).catch((err: unknown) => sendError(res, err));
    return;
  }
  const r = route(s.registry, url.pathname);
  if (r?.type !== 'resource' || isWebhookConfiguration(r)) {
    handle(ctx, req, res, body);
    return;
  }
  requireResolvable(s, r.t);
  const webhook = conversionWebhookOf(s, r.t) !== undefined;
  const converting = webhook && r.version !== storageVersionOf(r.t);
  // A write of a resource that converts through a webhook may need conversions for its
  // field tracking (admission runs it so that they are made first).
  if (!converting && !hasWebhooks(s) && !(webhook && isWrite(req))) {
    handle(ctx, req, res, body);
    return;
  }
  const work = converting
    ? serveConverted({ ctx, r, url, req, res, body })
    : serveAdmitted({ ctx, r, url, req, res, body });
  work.catch((err: unknown) => {
    if (!res.headersSent) sendError(res, err);
    else res.end();
  });
}

/**
 * A connect request that is not a WebSocket upgrade (a proxy, or an exec without one):
 * admitted as a CONNECT, then kube-apiserver's checks of where it would go. An exec,
 * attach or port-forward that passes them is refused as its proxy to the kubelet refuses
 * a request that is not an upgrade; a proxy that passes them is answered as before (the
 * proxies are not served).
 */
async function serveConnect(
  ctx: RequestContext,
  c: ConnectTarget,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
): Promise<void> {
  const s = ctx.state;
  const { options, warnings } = await admitConnect(s, c, req, url.searchParams);
  for (const w of warnings) giveWarning(res, w);
  markLongRunning(req);
  const sc = { t: c.t, version: 'v1', namespace: c.namespace };
  if (c.subresource !== 'proxy') {
    streamTarget(s, c, options, req);
    throw badRequest('Upgrade request required');
  }
  if (c.t.plural === 'pods') checkPodProxy(s, sc, c.name);
  else if (c.t.plural === 'services') checkServiceProxy(s, sc, c.name);
  else checkNodeProxy(s, sc, c.name);
  handle(ctx, req, res, body);
}

/** A request on a resource that admission or conversion webhooks see. */
interface InterceptedRequest {
  ctx: RequestContext;
  r: ResourceRoute;
  url: URL;
  req: IncomingMessage;
  res: ServerResponse;
  body: string;
}

/** Runs a request through admission into a recorder (writes) or straight (reads). */
async function recorded(
  ctx: RequestContext,
  r: ResourceRoute,
  url: URL,
  req: IncomingMessage,
  body: string,
): Promise<{ rec: Recorder; warnings: string[] }> {
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    return admitWrite(ctx, req, body, isDryRun(url), r.version);
  }
  const deleteOptions = () =>
    requestDeleteOptions(
      body,
      String(req.headers['content-type'] ?? 'application/json'),
      url.searchParams,
    );
  if (method === 'DELETE' && r.name === undefined && hasWebhooks(ctx.state)) {
    return admitDeleteCollection(ctx, r, req, body, deleteOptions());
  }
  const warnings: string[] = [];
  let admitted = false;
  if (method === 'DELETE' && r.name !== undefined && hasWebhooks(ctx.state)) {
    const stored = ctx.state.storage.get(resourceKey(r.t), objectKey(r.namespace, r.name));
    if (stored) {
      const opts = deleteOptions();
      const attrs: AdmissionAttributes = {
        operation: 'DELETE',
        t: r.t,
        version: r.version,
        namespace: r.namespace,
        name: r.name,
        subresource: r.subresource ?? '',
        object: undefined,
        // Admitted at the request's version (converted from the storage version).
        oldObject: (await convertObjects(ctx.state, r.t, [stored], r.version))[0],
        dryRun: opts.dryRun === true,
        options: admittedDeleteOptions(r, stored, opts),
        user: userOf(req),
      };
      try {
        warnings.push(...(await admitRequest(ctx.state, attrs)).warnings);
        admitted = true;
      } catch (err) {
        const rec = new Recorder();
        sendError(rec.response, err);
        return { rec, warnings: (err as { warnings?: string[] }).warnings ?? [] };
      }
    }
  }
  const rec = new Recorder();
  // A DELETE admitted above is not admitted again by the delete itself.
  if (admitted) ctx.state.admittedDeletes = () => true;
  try {
    handle(ctx, req, rec.response, body);
  } catch (err) {
    sendError(rec.response, err);
  } finally {
    ctx.state.admittedDeletes = undefined;
  }
  return { rec, warnings };
}

async function serveAdmitted(x: InterceptedRequest): Promise<void> {
  const { ctx, r, url, req, res, body } = x;
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'GET') {
    handle(ctx, req, res, body);
    return;
  }
  const { rec, warnings } = await recorded(ctx, r, url, req, body);
  rec.sendTo(res, warnings);
}

/** The URL path with the version segment replaced. */
function atVersionPath(path: string, r: ResourceRoute, version: string): string {
  const prefix = `/apis/${r.t.group}/${r.version}`;
  return `/apis/${r.t.group}/${version}${path.slice(prefix.length)}`;
}

function wantsConversion(req: IncomingMessage): boolean {
  const accept = String(req.headers.accept ?? '');
  return !/as=Table|as=PartialObjectMetadata/.test(accept);
}

/**
 * A request at a version other than the storage version of a CRD with a conversion
 * webhook: objects are stored at the storage version; reads convert what the server
 * returns, writes are validated at the request's version, converted, written at the
 * storage version and the result converted back (patches are applied at the request's
 * version, then written as an update).
 */
async function serveConverted(x: InterceptedRequest): Promise<void> {
  const { ctx, r, url, req, res, body } = x;
  const s = ctx.state;
  const t = r.t;
  const storage = storageVersionOf(t);
  const storageApi = apiVersionOf(t.group, storage);
  const requestApi = apiVersionOf(t.group, r.version);
  const method = (req.method ?? 'GET').toUpperCase();
  const toRequest = async (objs: JsonObject[]) =>
    convertObjects(
      s,
      t,
      objs.map((o) => ({ ...o, apiVersion: storageApi })),
      r.version,
    );
  // A write at the storage version made for the request's version (its fields are tracked
  // there, see madeAtVersion).
  // What the client asked for (a 406 first when nothing it accepts can be sent, as there);
  // the storage-version request is answered in JSON, then converted and encoded so.
  const watching = r.watchPath || ['true', '1'].includes(url.searchParams.get('watch') ?? '');
  const asked =
    wantsConversion(req) && !watching
      ? negotiate(req.headers.accept, { transforms: [] })
      : undefined;
  const inJson = (from: IncomingMessage) =>
    asked ? rewritten(from, { accept: 'application/json' }) : from;
  const storageReq = (m: string, json = true) =>
    madeAtVersion(
      inJson(
        rewritten(req, {
          url: `${atVersionPath(url.pathname, r, storage)}${url.search}`,
          method: m,
          json,
        }),
      ),
      r.version,
    );

  const sendConverted = async (rec: Recorder, warnings: string[]) => {
    if (!asked) {
      rec.sendTo(res, warnings);
      return;
    }
    const send = (json: string) =>
      rec.sendTo(res, warnings, encodeBody(asked, json), contentTypeOf(asked));
    if (rec.code < 200 || rec.code >= 300) {
      send(rec.body);
      return;
    }
    const out = parseKeeping(rec.body) as JsonObject;
    if (Array.isArray(out.items)) {
      out.items = await toRequest(out.items.filter(isObject));
      send(goEncoded(goJson(out)));
    } else if (out.kind === t.kind) {
      const [converted] = await toRequest([out]);
      send(goEncoded(goJson(converted)));
    } else send(rec.body);
  };

  /**
   * A Table or PartialObjectMetadata answer made again from the objects converted to the
   * request's version, as kube-apiserver converts before it transforms (the printer
   * columns read the converted object; labels and annotations are the converted ones).
   */
  const sendTransformed = async (rec: Recorder) => {
    const json = /json/.test(String(rec.headers['Content-Type'] ?? ''));
    const answer = rec.code === 200 && json ? (JSON.parse(rec.body) as JsonObject) : undefined;
    const kind = answer?.kind;
    if (
      !answer ||
      !['Table', 'PartialObjectMetadata', 'PartialObjectMetadataList'].includes(String(kind))
    ) {
      rec.sendTo(res, []);
      return;
    }
    const plain = new Recorder();
    handle(ctx, rewritten(req, { accept: 'application/json' }), plain.response, '');
    if (plain.code !== 200) {
      rec.sendTo(res, []);
      return;
    }
    const out = parseKeeping(plain.body) as JsonObject;
    const objects = await toRequest(Array.isArray(out.items) ? out.items.filter(isObject) : [out]);
    const meta = isObject(answer.metadata) ? answer.metadata : {};
    const transformed =
      kind === 'Table'
        ? toTable(t, r.version, objects, meta, url.searchParams)
        : kind === 'PartialObjectMetadataList'
          ? toPartialObjectMetadataList(objects, meta)
          : toPartialObjectMetadata(objects[0] ?? out);
    rec.sendTo(res, [], goEncoded(goJson(transformed)));
  };

  if (method === 'GET') {
    const watch = r.watchPath || ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    if (watch) {
      // A Table or PartialObjectMetadata watch is served as a plain one whose events are
      // converted, then transformed: the printer columns read the converted object.
      const accept = String(req.headers.accept ?? '');
      const form = /as=Table/.test(accept)
        ? (o: JsonObject) =>
            toTable(
              t,
              r.version,
              [o],
              { resourceVersion: metaOf(o).resourceVersion ?? '' },
              url.searchParams,
            )
        : /as=PartialObjectMetadata/.test(accept)
          ? toPartialObjectMetadata
          : undefined;
      handle(
        ctx,
        form ? rewritten(req, { accept: 'application/json' }) : req,
        convertingWatch(
          res,
          async (o) => {
            const [converted] = await toRequest([o]);
            return form ? form(converted!) : converted!;
          },
          // kube-apiserver writes a metadata watch's bookmarks as PartialObjectMetadata too.
          form === toPartialObjectMetadata ? form : undefined,
        ),
        body,
      );
      return;
    }
    const rec = new Recorder();
    try {
      handle(ctx, inJson(req), rec.response, body);
    } catch (err) {
      sendError(rec.response, err);
    }
    if (wantsConversion(req)) await sendConverted(rec, []);
    else await sendTransformed(rec);
    return;
  }
  if (method === 'DELETE') {
    const { rec, warnings } = await recorded(ctx, r, url, storageReq('DELETE'), body);
    await sendConverted(rec, warnings);
    return;
  }
  const contentType = String(req.headers['content-type'] ?? 'application/json');
  if (method === 'POST' || method === 'PUT') {
    const parsed = parseBody(body, contentType);
    // A JSON body's integers beyond 2^53 are kept as written, for the conversion webhook.
    const obj = /json/.test(contentType) ? parseKeeping(body) : structuredClone(parsed);
    if (!isObject(obj) || obj.apiVersion !== requestApi) {
      // Wrong or missing type meta: the server's own checks answer.
      handle(ctx, req, res, body);
      return;
    }
    const { rec, warnings } = await writeAtStorage(obj, method);
    await sendConverted(rec, warnings);
    return;
  }
  if (method === 'PATCH') {
    const ct = contentType.split(';')[0]!.trim().toLowerCase();
    if (ct !== 'application/json-patch+json' && ct !== 'application/merge-patch+json') {
      // An apply is made at the request's version, to the stored object converted there
      // (the applied partial object is never converted), then stored converted back.
      const { rec, warnings } = await recorded(ctx, r, url, storageReq('PATCH', false), body);
      await sendConverted(rec, warnings);
      return;
    }
    const patch = parseBody(body, 'application/json');
    for (let attempt = 0; ; attempt++) {
      const current = s.storage.get(resourceKey(t), objectKey(r.namespace, r.name ?? ''));
      if (!current) {
        handle(ctx, req, res, body);
        return;
      }
      const [served] = await toRequest([current]);
      const patched =
        ct === 'application/json-patch+json'
          ? jsonPatch(served!, patch)
          : mergePatch(served!, patch);
      if (!isObject(patched)) {
        handle(ctx, req, res, body);
        return;
      }
      const { rec, warnings } = await writeAtStorage(patched, 'PUT');
      const guarded =
        isObject(patch) && isObject(patch.metadata) && patch.metadata.resourceVersion !== undefined;
      if (rec.code === 409 && !guarded && attempt < 5) continue;
      await sendConverted(rec, warnings);
      return;
    }
  }
  handle(ctx, req, res, body);

  async function writeAtStorage(obj: JsonObject, m: string) {
    // kube-apiserver validates (and prunes, defaults) at the request's version first.
    if (r.subresource === undefined) {
      const causes = s.validateCustom(t, r.version, obj);
      const meta = isObject(obj.metadata) ? obj.metadata : {};
      if (causes.length) throw invalid(t.kind, t.group, String(meta.name ?? r.name ?? ''), causes);
    }
    const [stored] = await convertObjects(s, t, [obj], storage);
    return recorded(ctx, r, url, storageReq(m), goJson(stored));
  }
}

/**
 * A response whose watch events are converted before they are written, in order (one
 * conversion at a time); a failed conversion ends the watch with an ERROR event. Bookmarks
 * are written as they come, or through `bookmark` when given.
 */
function convertingWatch(
  res: ServerResponse,
  convert: (obj: JsonObject) => Promise<JsonObject>,
  bookmark?: (obj: JsonObject) => JsonObject,
): ServerResponse {
  let chain = Promise.resolve();
  let failed = false;
  const convertChunk = async (chunk: Buffer | string): Promise<string> => {
    const lines = chunk
      .toString()
      .split('\n')
      .filter((l) => l !== '');
    const out: string[] = [];
    for (const line of lines) {
      const ev = parseKeeping(line) as JsonObject;
      if (
        (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') &&
        isObject(ev.object)
      ) {
        ev.object = await convert(ev.object);
      } else if (ev.type === 'BOOKMARK' && bookmark && isObject(ev.object)) {
        ev.object = bookmark(ev.object);
      }
      out.push(goEncoded(goJson(ev)));
    }
    return out.join('');
  };
  const enqueue = (chunk: Buffer | string | undefined, end: boolean) => {
    chain = chain.then(async () => {
      if (failed || res.writableEnded) return;
      try {
        const text = chunk === undefined ? '' : await convertChunk(chunk);
        if (end) res.end(text);
        else if (text) res.write(text);
      } catch (err) {
        failed = true;
        const e = err as { toStatus?: () => JsonObject; message?: string };
        const status = e.toStatus?.() ?? {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: String(e.message),
          code: 500,
        };
        res.end(goEncoded(`{"type":"ERROR","object":${JSON.stringify(status)}}`));
      }
    });
    return true;
  };
  return new Proxy(res, {
    get(target, prop) {
      if (prop === 'write') return (chunk: Buffer | string) => enqueue(chunk, false);
      if (prop === 'end') return (chunk?: Buffer | string) => enqueue(chunk, true);
      const v = Reflect.get(target, prop);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
