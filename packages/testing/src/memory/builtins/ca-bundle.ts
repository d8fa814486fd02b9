/**
 * A `caBundle` as client-go's transport loads it as root certificates (own code, for its
 * words): kube-apiserver's `ValidateCABundle` refuses a bundle that gives no certificate.
 */
import { parseCertificateError } from './certificate-der.js';
import { pemBlocks } from './pem-blocks.js';

const UNREADABLE = 'unable to parse bytes as PEM block';

/** Whether a PEM block is one `AppendCertsFromPEM` takes: a headerless CERTIFICATE. */
const certificateBlock = (block: { type: string; headers: object }) =>
  block.type === 'CERTIFICATE' && Object.keys(block.headers).length === 0;

/**
 * Why a non-empty bundle (the decoded bytes) holds no usable root certificate, in
 * client-go's words, or undefined when `AppendCertsFromPEM` takes one of its blocks. The
 * reason follows the blocks in order as client-go re-reads them: text left that holds no
 * block, or the first CERTIFICATE block that does not parse.
 */
export function caBundleError(bundle: Buffer): string | undefined {
  if (bundle.length === 0) return undefined;
  const text = bundle.toString('latin1');
  const blocks = pemBlocks(text);
  const parsed = blocks.map((b) => (certificateBlock(b) ? parseCertificateError(b.bytes) : ''));
  if (parsed.some((why) => why === undefined)) return undefined;
  let at = 0;
  for (const [i, block] of blocks.entries()) {
    const why = parsed[i];
    if (why) return `unable to load root certificates: failed to parse certificate: ${why}`;
    at = block.end;
  }
  const why = at < text.length ? UNREADABLE : 'no valid certificate authority data seen';
  return `unable to load root certificates: ${why}`;
}
