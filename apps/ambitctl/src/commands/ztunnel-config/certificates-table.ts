import { list, record, text, type DumpItem } from './dump.js';

/**
 * istioctl's `ztunnel-config certificates` table, in the dump's order: one row per
 * certificate of each identity (`Leaf`, then `Intermediate`s, then `Root`s), or one `NA`
 * row for an identity that has none yet. STATUS drops the reason of `Unavailable: <why>`;
 * VALID CERT says whether `now` lies within the certificate's validity.
 */
export function certificatesTable(identities: readonly DumpItem[], now: Date): string[][] {
  const rows: string[][] = [['CERTIFICATE NAME', 'TYPE', 'STATUS', 'VALID CERT', 'SERIAL NUMBER', 'NOT AFTER', 'NOT BEFORE']];
  for (const entry of identities) {
    const identity = text(entry.identity);
    const state = text(entry.state).startsWith('Unavailable') ? 'Unavailable' : text(entry.state);
    const chain = list(entry.certChain).map(record);
    if (chain.length === 0) {
      rows.push([identity, 'NA', state, 'false', 'NA', 'NA', 'NA']);
      continue;
    }
    const typed = [...chain.map((cert, i) => [i === 0 ? 'Leaf' : 'Intermediate', cert] as const), ...list(entry.rootCerts).map((cert) => ['Root', record(cert)] as const)];
    for (const [type, cert] of typed) {
      rows.push([identity, type, state, String(isValid(cert, now)), text(cert.serialNumber) || 'NA', time(cert.expirationTime), time(cert.validFrom)]);
    }
  }
  return rows;
}

function isValid(cert: DumpItem, now: Date): boolean {
  const from = Date.parse(text(cert.validFrom));
  const to = Date.parse(text(cert.expirationTime));
  return from <= now.getTime() && now.getTime() < to;
}

/** RFC 3339 to the second, as istioctl prints ztunnel's times; as given when it is not a time. */
function time(value: unknown): string {
  const ms = Date.parse(text(value));
  if (Number.isNaN(ms)) return text(value) || 'NA';
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
