/**
 * The tag of a container image reference as kube-apiserver's defaulting finds it, to choose
 * a container's `imagePullPolicy`: Go's `ParseImageName` parses the reference with the
 * distribution library's normalizing parser and fails on any reference outside its grammar
 * (then no tag is found). Own code, because only that grammar decides the default: an
 * unparsable image (`Bad Value!`, `Nginx`) gets `IfNotPresent` there, not `Always`.
 */

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const REMOTE = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${DOMAIN}/${REMOTE})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const IDENTIFIER = /^[a-f0-9]{64}$/;
/** The digest algorithms kube-apiserver knows, with the length of their hex encoding. */
const DIGEST_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
const MAX_PATH_LENGTH = 255;

/** The registry part and the rest, as the normalizing parser splits a familiar name. */
function splitDomain(name: string): [string, string] {
  const slash = name.indexOf('/');
  if (slash < 0) return ['docker.io', `library/${name}`];
  const first = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) {
    [domain, remote] = [first === 'index.docker.io' ? 'docker.io' : first, rest];
  } else [domain, remote] = ['docker.io', name];
  if (domain === 'docker.io' && !remote.includes('/')) remote = `library/${remote}`;
  return [domain, remote];
}

/**
 * What Go's `ParseImageName` finds as the tag of `image`: the tag given, `latest` when there
 * is neither a tag nor a digest, `''` with only a digest; `undefined` when it cannot parse.
 */
export function imageTag(image: string): string | undefined {
  if (IDENTIFIER.test(image)) return undefined;
  const [domain, remainder] = splitDomain(image);
  const colon = remainder.indexOf(':');
  const remote = colon < 0 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) return undefined;
  const m = REFERENCE.exec(`${domain}/${remainder}`);
  if (!m) return undefined;
  const path = m[1]!.slice(m[1]!.indexOf('/') + 1);
  if (path.length > MAX_PATH_LENGTH) return undefined;
  const [tag, digest] = [m[2] ?? '', m[3] ?? ''];
  if (digest) {
    const [algorithm = '', encoded = ''] = digest.split(':');
    const length = DIGEST_LENGTHS[algorithm];
    if (length === undefined || !new RegExp(`^[a-f0-9]{${length}}$`).test(encoded))
      return undefined;
  }
  return tag === '' && digest === '' ? 'latest' : tag;
}
