/**
 * JSON for the debug endpoints, indented for people. Byte fields of the served
 * resources are all IP addresses on the wire, so they are shown as IP text (4 or 16
 * bytes); anything else as base64, as protobuf's JSON mapping writes bytes.
 */
export function debugJson(value: unknown): string {
  return `${JSON.stringify(value, replaceBytes, 2)}\n`;
}

// A function, not an arrow: `this[key]` is the value before Buffer#toJSON ran on it.
function replaceBytes(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof Uint8Array ? bytesText(original) : value;
}

function bytesText(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length === 16) {
    const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
    // The WHATWG URL parser writes IPv6 hosts in RFC 5952's canonical form.
    return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
  }
  return Buffer.from(bytes).toString('base64');
}
