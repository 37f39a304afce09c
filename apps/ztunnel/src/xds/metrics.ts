import { Counter, type Registry } from 'prom-client';

/** The xDS client's counters, named as ztunnel names them where it has them. */
export interface XdsMetrics {
  readonly messages: Counter<'url'>;
  readonly rejected: Counter<'url'>;
  readonly terminations: Counter<'reason'>;
}

export function registerXdsMetrics(registry: Registry): XdsMetrics {
  return {
    messages: new Counter({ name: 'istio_xds_message_total', help: 'Total number of xDS responses received, by type URL.', labelNames: ['url'], registers: [registry] }),
    rejected: new Counter({
      name: 'ambit_ztunnel_xds_rejected_total',
      help: 'xDS responses ztunnel rejected (NACKed), by type URL; its last good state stayed.',
      labelNames: ['url'],
      registers: [registry],
    }),
    terminations: new Counter({
      name: 'istio_xds_connection_terminations_total',
      help: 'Total number of connection terminations to the xDS server, by reason.',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}
