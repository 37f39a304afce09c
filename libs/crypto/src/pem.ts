import { PemError } from './errors.js';

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The DER of every PEM block labelled with one of `labels`, in order. Text outside the
 * blocks (OpenSSL's "Bag Attributes", comments) is ignored, as OpenSSL does; blocks with
 * other labels are skipped so a bundle file may hold a key beside its certificate.
 * Base64 is validated rather than decoded leniently: Node's decoder would silently drop
 * stray characters and hand a corrupted DER to the parsers.
 */
export function decodePemBlocks(text: string, labels: readonly string[], what: string): Buffer[] {
  const blocks: Buffer[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const [, begin, body, end] = match;
    if (begin !== end) throw new PemError(what, `BEGIN ${begin} is closed by END ${end}`);
    if (!labels.includes(begin!)) continue;
    const base64 = body!.replace(/\s+/g, '');
    if (base64.length === 0 || base64.length % 4 !== 0 || !BASE64.test(base64)) {
      throw new PemError(what, `the ${begin} block is not valid base64`);
    }
    blocks.push(Buffer.from(base64, 'base64'));
  }
  if (blocks.length === 0) throw new PemError(what, `no ${labels.map((l) => `"${l}"`).join(' or ')} block found`);
  return blocks;
}

/** Exactly one block: a second one would be silently ignored otherwise. */
export function decodeSinglePem(text: string, labels: readonly string[], what: string): Buffer {
  const blocks = decodePemBlocks(text, labels, what);
  if (blocks.length !== 1) throw new PemError(what, `expected one ${labels[0]} block, found ${blocks.length}`);
  return blocks[0]!;
}

/** RFC 7468 text: 64-character lines and a final newline, as OpenSSL writes it. */
export function encodePem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
