import { MemoryApiServer } from '@kube-ts/testing';
const server = await MemoryApiServer.start();
const base = server.kubeConfig.clusters[0].server;
const j = async (method, path, body) => { const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) }); return [r.status, await r.json().catch(() => null)]; };
const group = 'mygroup.example.com';
const schema = { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };
let fails = 0, runs = 0;
async function one(id) {
  const g = `foo${id}a`;
  const [cs] = await j('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${g}s.${group}` }, spec: { group, scope: 'Cluster', names: { plural: `${g}s`, kind: g, singular: g, listKind: `${g}List` }, versions: [{ name: 'v1beta1', served: true, storage: false, subresources: { status: {} }, schema }, { name: 'v1', served: true, storage: true, schema }] } });
  let created;
  for (let i = 0; i < 100; i++) { const [s, c] = await j('POST', `/apis/${group}/v1beta1/${g}s`, { apiVersion: `${group}/v1beta1`, kind: g, metadata: { name: 'setup-instance' }, spec: {} }); if (s === 201) { created = c; break; } await new Promise(r => setTimeout(r, 20)); }
  if (!created) { console.log('never created', id, cs); return; }
  await j('DELETE', `/apis/${group}/v1beta1/${g}s/setup-instance`);
  for (const v of ['v1beta1', 'v1']) {
    const ac = new AbortController(); const t = setTimeout(() => ac.abort(), 5000);
    let got = false;
    try { const r = await fetch(`${base}/apis/${group}/${v}/${g}s?watch=true&resourceVersion=${created.metadata.resourceVersion}`, { signal: ac.signal }); for await (const c of r.body) { got = Buffer.from(c).toString().includes('DELETED'); if (!got) console.log('other', Buffer.from(c).toString().slice(0,150)); break; } } catch {}
    clearTimeout(t); runs++;
    if (!got) { fails++; console.log('FAIL', id, v, created.metadata.resourceVersion); }
    ac.abort();
  }
  await j('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${g}s.${group}`);
}
let n = 0;
await Promise.all([0,1,2,3].map(async () => { for (let k = 0; k < 10; k++) await one(n++); }));
console.log('runs', runs, 'fails', fails);
await server.stop();
