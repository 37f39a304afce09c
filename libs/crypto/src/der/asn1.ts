import forge from 'node-forge';

/**
 * A thin layer over node-forge's ASN.1 codec: forge speaks "binary strings" (one char
 * per byte), the rest of the library speaks Buffers. Readers throw plain Errors that
 * say which part is wrong; the public parsers wrap them into their typed errors.
 */
export type Asn1 = forge.asn1.Asn1;

const { asn1 } = forge;
const UNIVERSAL = asn1.Class.UNIVERSAL;
const CONTEXT = asn1.Class.CONTEXT_SPECIFIC;
export const Tag = asn1.Type;

export function toBinary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function fromBinary(binary: string): Buffer {
  return Buffer.from(binary, 'latin1');
}

// @types/node-forge only knows the older `fromDer(bytes, strict)` signature.
const fromDer = asn1.fromDer as unknown as (
  bytes: string,
  options: { strict: boolean; parseAllBytes: boolean; decodeBitStrings: boolean },
) => Asn1;

/**
 * Parses one DER element that must span all of `der`. BIT STRING contents are left as
 * bytes: forge would otherwise guess whether they hold nested ASN.1, which costs time
 * and makes signatures look like structures.
 */
export function parseDer(der: Uint8Array): Asn1 {
  return fromDer(toBinary(der), { strict: true, parseAllBytes: true, decodeBitStrings: false });
}

export function encodeDer(node: Asn1): Buffer {
  return fromBinary(asn1.toDer(node).getBytes());
}

// ---- building -------------------------------------------------------------------------

export function sequence(children: Asn1[]): Asn1 {
  return asn1.create(UNIVERSAL, Tag.SEQUENCE, true, children);
}

export function set(children: Asn1[]): Asn1 {
  return asn1.create(UNIVERSAL, Tag.SET, true, children);
}

const oidCache = new Map<string, string>();
export function oid(dotted: string): Asn1 {
  let bytes = oidCache.get(dotted);
  if (bytes === undefined) {
    bytes = asn1.oidToDer(dotted).getBytes();
    oidCache.set(dotted, bytes);
  }
  return asn1.create(UNIVERSAL, Tag.OID, false, bytes);
}

/** A non-negative INTEGER from big-endian magnitude bytes, minimally encoded. */
export function unsignedInteger(magnitude: Uint8Array): Asn1 {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  // DER INTEGERs are signed: a leading 1 bit needs a zero byte in front to stay positive.
  const sign = trimmed.length > 0 && trimmed[0]! >= 0x80 ? '\x00' : '';
  return asn1.create(UNIVERSAL, Tag.INTEGER, false, sign + toBinary(trimmed));
}

export function smallInteger(value: number): Asn1 {
  return asn1.create(UNIVERSAL, Tag.INTEGER, false, asn1.integerToDer(value).getBytes());
}

export function boolean(value: boolean): Asn1 {
  return asn1.create(UNIVERSAL, Tag.BOOLEAN, false, value ? '\xff' : '\x00');
}

export function nullValue(): Asn1 {
  return asn1.create(UNIVERSAL, Tag.NULL, false, '');
}

export function octetString(bytes: Uint8Array): Asn1 {
  return asn1.create(UNIVERSAL, Tag.OCTETSTRING, false, toBinary(bytes));
}

/** A BIT STRING whose first content byte is the count of unused trailing bits. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Asn1 {
  return asn1.create(UNIVERSAL, Tag.BITSTRING, false, String.fromCharCode(unusedBits) + toBinary(bytes));
}

export function utf8String(text: string): Asn1 {
  return asn1.create(UNIVERSAL, Tag.UTF8, false, forge.util.encodeUtf8(text));
}

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, whole seconds. */
export function time(date: Date): Asn1 {
  const year = date.getUTCFullYear();
  return year < 2050
    ? asn1.create(UNIVERSAL, Tag.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(UNIVERSAL, Tag.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

/** `[n] EXPLICIT child`. */
export function explicit(tagNumber: number, child: Asn1): Asn1 {
  return asn1.create(CONTEXT, tagNumber, true, [child]);
}

/** `[n] IMPLICIT` of a primitive type: the raw content bytes under a context tag. */
export function implicitPrimitive(tagNumber: number, content: string): Asn1 {
  return asn1.create(CONTEXT, tagNumber, false, content);
}

/** `[n] IMPLICIT SET/SEQUENCE OF …`. */
export function implicitConstructed(tagNumber: number, children: Asn1[]): Asn1 {
  return asn1.create(CONTEXT, tagNumber, true, children);
}

/** Wraps already-encoded DER parts in a SEQUENCE without re-encoding them. */
export function sequenceOfEncoded(parts: readonly Buffer[]): Buffer {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  return Buffer.concat([Buffer.of(0x30), encodeLength(length), ...parts]);
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.of(0x80 | bytes.length, ...bytes);
}

// ---- reading --------------------------------------------------------------------------

export function isUniversal(node: Asn1, tag: number): boolean {
  return node.tagClass === UNIVERSAL && node.type === tag;
}

export function isContext(node: Asn1 | undefined, tagNumber: number): boolean {
  return node !== undefined && node.tagClass === CONTEXT && node.type === tagNumber;
}

/** The children of a constructed element of the given universal type. */
export function childrenOf(node: Asn1 | undefined, tag: number, what: string): Asn1[] {
  if (node === undefined || !isUniversal(node, tag) || !node.constructed || !Array.isArray(node.value)) {
    throw new Error(`${what} is not a ${Tag[tag] ?? tag}`);
  }
  return node.value;
}

/** The children of a constructed context-tagged element. */
export function contextChildren(node: Asn1, what: string): Asn1[] {
  if (!node.constructed || !Array.isArray(node.value)) throw new Error(`${what} is not constructed`);
  return node.value;
}

/** The content bytes (as a binary string) of a primitive element. */
export function primitiveOf(node: Asn1 | undefined, tag: number, what: string): string {
  if (node === undefined || !isUniversal(node, tag) || node.constructed || typeof node.value !== 'string') {
    throw new Error(`${what} is not a ${Tag[tag] ?? tag}`);
  }
  return node.value;
}

/** The content bytes of a primitive element under any tag (for IMPLICIT fields). */
export function rawContent(node: Asn1, what: string): string {
  if (node.constructed || typeof node.value !== 'string') throw new Error(`${what} is not primitive`);
  return node.value;
}

export function oidOf(node: Asn1 | undefined, what: string): string {
  const bytes = primitiveOf(node, Tag.OID, what);
  if (bytes.length === 0) throw new Error(`${what} is an empty OBJECT IDENTIFIER`);
  return asn1.derToOid(bytes);
}

export function booleanOf(node: Asn1 | undefined, what: string): boolean {
  const bytes = primitiveOf(node, Tag.BOOLEAN, what);
  if (bytes.length !== 1) throw new Error(`${what} is not a one-byte BOOLEAN`);
  return bytes !== '\x00';
}

/** A BIT STRING's bytes, which must have no unused bits (signatures, public keys). */
export function wholeBitString(node: Asn1 | undefined, what: string): Buffer {
  const bytes = primitiveOf(node, Tag.BITSTRING, what);
  if (bytes.length === 0 || bytes.charCodeAt(0) !== 0) throw new Error(`${what} has unused bits`);
  return fromBinary(bytes.slice(1));
}

export function timeOf(node: Asn1 | undefined, what: string): Date {
  if (node !== undefined && isUniversal(node, Tag.UTCTIME) && /^\d{12}Z$/.test(String(node.value))) {
    return asn1.utcTimeToDate(node.value as string);
  }
  if (node !== undefined && isUniversal(node, Tag.GENERALIZEDTIME) && /^\d{14}Z$/.test(String(node.value))) {
    return asn1.generalizedTimeToDate(node.value as string);
  }
  throw new Error(`${what} is not a UTCTime or GeneralizedTime in UTC`);
}

/**
 * The encoded bytes of the first child of the outer SEQUENCE of `der` — the signed part
 * of a certificate or CSR — taken from the input itself: re-encoding a parsed tree could
 * differ from what was signed, and a signature must be checked over the exact bytes.
 */
export function firstChildBytes(der: Buffer): Buffer {
  const outer = header(der, 0);
  const inner = header(der, outer.contentStart);
  return der.subarray(outer.contentStart, inner.contentStart + inner.length);
}

function header(der: Buffer, offset: number): { contentStart: number; length: number } {
  const first = der[offset + 1];
  if (first === undefined) throw new Error('DER is truncated');
  let contentStart = offset + 2;
  let length = first;
  if (first >= 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new Error('DER length is indefinite or too long');
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = der[contentStart + i];
      if (byte === undefined) throw new Error('DER is truncated');
      length = length * 256 + byte;
    }
    contentStart += count;
  }
  if (contentStart + length > der.length) throw new Error('DER is truncated');
  return { contentStart, length };
}
