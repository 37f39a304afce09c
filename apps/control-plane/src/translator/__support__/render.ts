import { l7V1, securityV1, workloadV1 } from '@ambit/xds';
import type { Translation } from '../translator.js';

/**
 * Translated resources as plain data for golden files: IP bytes as IP text, enums by
 * name, oneof discriminators and proto3 defaults ("", [], {}, null, false) left out, so
 * that a golden file reads like the resource it describes. Numbers are always kept
 * (a targetPort of 0 means "named, resolved per workload").
 */
export function renderTranslation(translation: Translation): unknown {
  return {
    addresses: translation.addresses.map((t) => ({ name: t.name, ...(render(t.resource, '', L4) as object) })),
    authorizations: translation.authorizations.map((t) => ({ name: t.name, authorization: render(t.resource, '', L4) })),
  };
}

/** The L7 resources (route tables, clusters, listeners) of a translation, the same way; bytes as UTF-8 text. */
export function renderL7(translation: Translation): unknown {
  const named = (list: readonly { name: string; resource: unknown }[]) => list.map((t) => ({ name: t.name, ...(render(t.resource, '', L7) as object) }));
  return { clusters: named(translation.clusters), routeTables: named(translation.routeTables), listeners: named(translation.listeners) };
}

interface Style {
  readonly enums: Record<string, Record<string, number>>;
  /** Keys that only say which oneof member is set; the member's own key says it already. */
  readonly discriminators: ReadonlySet<string>;
  readonly bytes: (bytes: Uint8Array) => string;
}

const ENUMS: Record<string, Record<string, number>> = {
  tunnelProtocol: workloadV1.TunnelProtocol,
  workloadType: workloadV1.WorkloadType,
  status: workloadV1.WorkloadStatus,
  routingPreference: workloadV1.LoadBalancing_Scope,
  mode: workloadV1.LoadBalancing_Mode,
  scope: securityV1.Scope,
  action: securityV1.Action,
};

const L4: Style = { enums: ENUMS, discriminators: new Set(['type', 'matchType', 'destination']), bytes: ipText };
const L7: Style = {
  // `mode` is ServerTls's; an UpstreamTls is only emitted for SIMPLE and MUTUAL, which the two enums number alike.
  enums: { algorithm: l7V1.LoadBalancer_Algorithm, protocol: l7V1.Server_Protocol, mode: l7V1.ServerTls_Mode },
  discriminators: new Set(['matchType', 'context', 'action', 'key', 'error']),
  bytes: (bytes) => Buffer.from(bytes).toString('utf8'),
};

function render(value: unknown, key: string, style: Style): unknown {
  if (value instanceof Uint8Array) return style.bytes(value);
  const names = style.enums[key];
  if (names !== undefined) {
    const name = (n: unknown): unknown => Object.keys(names).find((k) => names[k] === n) ?? n;
    return Array.isArray(value) ? value.map(name) : name(value);
  }
  if (Array.isArray(value)) return value.map((v) => render(v, '', style));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (style.discriminators.has(k) && typeof v === 'string' && v in value) continue;
      const rendered = render(v, k, style);
      if (!isDefault(rendered) || style.enums[k] !== undefined) out[k] = rendered;
    }
    return out;
  }
  return value;
}

function isDefault(value: unknown): boolean {
  if (value === '' || value === null || value === false || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return [...bytes].join('.');
  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  // RFC 5952: the longest run of two or more zero groups becomes "::".
  const text = groups.join(':');
  const runs = text.match(/(^|:)0(:0)+(:|$)/g) ?? [];
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest === '' ? text : text.replace(longest, '::');
}
