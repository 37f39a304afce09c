/** Longest x-forwarded-client-cert value read; a longer one names no identity. */
const MAX_XFCC_CHARS = 64 * 1024;

/**
 * The caller's SPIFFE ID from an `x-forwarded-client-cert` value (Envoy's format, which
 * Istio's proxies set): comma-separated elements, one per proxy hop, each of
 * `key=value` pairs separated by semicolons, a value in double quotes when it holds
 * `,` `;` or `=` (a `"` inside escaped as `\"`). Each proxy appends its peer's element,
 * so the last element describes the caller that reached the proxy in front of us; its
 * first `URI=` that is a `spiffe://` URI is the identity. Undefined when there is none
 * (no header, no URI, a malformed value).
 */
export function callerIdentity(xfcc: string | undefined): string | undefined {
  if (xfcc === undefined || xfcc.length > MAX_XFCC_CHARS) return undefined;
  const elements = splitXfcc(xfcc);
  const last = elements?.[elements.length - 1];
  return last?.find(([key, value]) => key.toLowerCase() === 'uri' && value.startsWith('spiffe://'))?.[1];
}

type Pair = readonly [key: string, value: string];

/** The elements of an XFCC value as lists of pairs; undefined when a quote is left open or a pair has no `=`. */
function splitXfcc(text: string): Pair[][] | undefined {
  const elements: Pair[][] = [];
  let pairs: Pair[] = [];
  let field = '';
  let key: string | undefined;
  let quoted = false;
  const endPair = (): boolean => {
    if (key === undefined) {
      if (field.trim() !== '') return false;
    } else {
      pairs.push([key.trim(), field]);
    }
    key = undefined;
    field = '';
    return true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < text.length) field += text[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === '=' && key === undefined) {
      key = field;
      field = '';
    } else if (c === ';' || c === ',') {
      if (!endPair()) return undefined;
      if (c === ',') {
        elements.push(pairs);
        pairs = [];
      }
    } else {
      field += c;
    }
  }
  if (quoted || !endPair()) return undefined;
  elements.push(pairs);
  return elements;
}
