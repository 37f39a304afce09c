import { Gauge, Registry } from 'prom-client';
import type { StateView } from '../state/index.js';

/**
 * A registry per ztunnel rather than prom-client's global one, so that several
 * ztunnels in one process (tests, local mode) never share series. The state's sizes
 * are read at scrape time.
 */
export function createMetricsRegistry(state: StateView): Registry {
  const registry = new Registry();
  const sizes = { workloads: () => state.workloads.size, services: () => state.services.size, policies: () => state.policies.size };
  for (const [name, size] of Object.entries(sizes)) {
    new Gauge({
      name: `ambit_ztunnel_${name}`,
      help: `The ${name} ztunnel holds from xDS.`,
      registers: [registry],
      collect() {
        this.set(size());
      },
    });
  }
  return registry;
}
