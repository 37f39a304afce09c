import type { DerivedSource } from '@ambit/workload-state';

type Field = keyof Omit<DerivedSource, 'identity'>;

/** The keys ztunnel reads (`parse_baggage_header`, src/baggage.rs) and what each names. */
const FIELDS: ReadonlyMap<string, Field> = new Map([
  ['k8s.cluster.name', 'cluster'],
  ['k8s.namespace.name', 'namespace'],
  ['k8s.deployment.name', 'workloadName'],
  ['k8s.cronjob.name', 'workloadName'],
  ['k8s.pod.name', 'workloadName'],
  ['k8s.job.name', 'workloadName'],
  ['service.name', 'app'],
  ['service.version', 'revision'],
]);

/**
 * What a source said about itself in the W3C `baggage` header of its CONNECT, as
 * ztunnel reads it: `key=value` members split on `,`, later members winning (an
 * empty value clears), unknown keys skipped. It is the peer's word, not proof: it names the
 * source in metrics only when the source is not a workload known by address, and it is
 * never used for authorization. The header is bounded by the HBONE server's header
 * list limit.
 */
export function parseBaggage(header: string | undefined): Omit<DerivedSource, 'identity'> {
  const out: { [K in Field]?: string } = {};
  if (header === undefined) return out;
  for (const member of header.split(',')) {
    const parts = member.split('=');
    if (parts.length < 2) continue;
    const field = FIELDS.get(parts[0]!.trim());
    if (field === undefined) continue;
    // W3C properties (`;…`) follow the value; ztunnel writes none.
    const value = parts[1]!.split(';', 1)[0]!.trim();
    if (value === '') delete out[field];
    else out[field] = value;
  }
  return out;
}
