import { Gauge, Registry } from 'prom-client';
import type { MeshView } from '../state/index.js';

/**
 * A registry per proxy rather than prom-client's global one, so that several in one
 * process (tests) never share series. The state's sizes are read at scrape time, as
 * `<prefix>_<size>` (e.g. `ambit_waypoint_route_tables`).
 */
export function createMetricsRegistry(state: MeshView, prefix: string, what: string): Registry {
  const registry = new Registry();
  const names = { workloads: 'workloads', services: 'services', routeTables: 'route_tables', clusters: 'clusters', listeners: 'listeners' } as const;
  for (const [name, metric] of Object.entries(names) as [keyof typeof names, string][]) {
    new Gauge({
      name: `${prefix}_${metric}`,
      help: `The ${metric.replace('_', ' ')} the ${what} holds from xDS.`,
      registers: [registry],
      collect() {
        this.set(state.sizes[name]);
      },
    });
  }
  return registry;
}
