import protobuf from 'protobufjs';
import descriptor from './k8s-proto.json' with { type: 'json' };

/**
 * The protobuf messages of kube-apiserver v1.36.3's built-in kinds, with the JSON hints
 * `scripts/generate-protobuf-schema.mjs` took from the Go structs (field options `json`,
 * `inline`, `keep`; message option `list`).
 */
let root: protobuf.Root | undefined;

/** The messages, built on first use. */
export function protoRoot(): protobuf.Root {
  root ??= protobuf.Root.fromJSON(descriptor);
  return root;
}

let byKind: Map<string, protobuf.Type> | undefined;

/** `core/v1/ConfigMap`-style keys: the package segment before the version, version, kind. */
function indexTypes(): Map<string, protobuf.Type> {
  const index = new Map<string, protobuf.Type>();
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const child of ns.nestedArray) {
      if (child instanceof protobuf.Type) {
        const parts = child.fullName.split('.');
        const version = parts[parts.length - 2]!;
        const segment = parts[parts.length - 3]!;
        if (/^v\d+((alpha|beta)\d+)?$/.test(version)) {
          index.set(`${segment}/${version}/${child.name}`, child);
        }
      } else if (child instanceof protobuf.Namespace) walk(child);
    }
  };
  walk(protoRoot());
  return index;
}

/** The package segment of an API group (`apps` for apps, `rbac` for rbac.authorization.k8s.io). */
function segmentOf(group: string): string {
  if (group === '') return 'core';
  if (group === 'internal.apiserver.k8s.io') return 'apiserverinternal';
  return group.split('.')[0]!;
}

/**
 * The message of a kind at an `apiVersion`, or undefined. Options kinds (DeleteOptions,
 * …) are registered in every group version but defined once, in meta/v1.
 */
export function messageOf(apiVersion: string, kind: string): protobuf.Type | undefined {
  byKind ??= indexTypes();
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  return byKind.get(`${segmentOf(group)}/${version}/${kind}`) ?? byKind.get(`meta/v1/${kind}`);
}
