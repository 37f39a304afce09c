import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** istiod's buckets for convergence, with finer ones below 100 ms where a healthy mesh lives. */
const CONVERGENCE_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3, 5, 10, 20, 30];

/** What the xDS metrics read at scrape time. */
export interface XdsMetricsSource {
  readonly typeUrls: readonly string[];
  connectedProxies(): number;
  resourceCount(typeUrl: string): number;
}

/**
 * The xDS stage's metrics. Names are istiod's where istiod has the same measure
 * (`pilot_xds`, `pilot_total_xds_rejects`), so existing dashboards read them; the
 * `type` label is the full type URL. Gauges are read when scraped, never kept in step.
 */
export class XdsMetrics {
  readonly #pushes: Counter<'type'>;
  readonly #rejects: Counter<'type'>;
  readonly #convergence: Histogram<'type'>;

  constructor(registry: Registry, source: XdsMetricsSource) {
    this.#pushes = new Counter({
      name: 'ambit_xds_config_pushes_total',
      help: 'Config changes that changed the served resources of a type; each is sent to every proxy that tracks them.',
      labelNames: ['type'],
      registers: [registry],
    });
    this.#rejects = new Counter({
      name: 'pilot_total_xds_rejects',
      help: 'Total number of XDS responses from pilot rejected by proxy.',
      labelNames: ['type'],
      registers: [registry],
    });
    this.#convergence = new Histogram({
      name: 'pilot_proxy_convergence_time',
      help: 'Seconds from a config change entering the xDS caches to a proxy acknowledging the response that carried it.',
      labelNames: ['type'],
      buckets: CONVERGENCE_BUCKETS_S,
      registers: [registry],
    });
    new Gauge({
      name: 'pilot_xds',
      help: 'Number of endpoints connected to this pilot using XDS.',
      registers: [registry],
      collect() {
        this.set(source.connectedProxies());
      },
    });
    new Gauge({
      name: 'ambit_xds_resources',
      help: 'Resources served, by type.',
      labelNames: ['type'],
      registers: [registry],
      collect() {
        for (const type of source.typeUrls) this.set({ type }, source.resourceCount(type));
      },
    });
    // Zero series from the start, so that rate() sees the first change and absent() means "not running".
    for (const type of source.typeUrls) {
      this.#pushes.inc({ type }, 0);
      this.#rejects.inc({ type }, 0);
    }
  }

  pushed(typeUrl: string): void {
    this.#pushes.inc({ type: typeUrl });
  }

  converged(typeUrl: string, changeToAckMs: number): void {
    this.#convergence.observe({ type: typeUrl }, changeToAckMs / 1000);
  }

  rejected(typeUrl: string): void {
    this.#rejects.inc({ type: typeUrl });
  }
}
