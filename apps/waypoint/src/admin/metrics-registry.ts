import { Gauge, Registry } from 'prom-client';
import type { MeshView } from '../state/index.js';

/**
 * A registry per waypoint rather than prom-client's global one, so that several in one
 * process (tests) never share series. The state's sizes are read at scrape time.
 */
export function createMetricsRegistry(state: MeshView): Registry {
  const registry = new Registry();
  for (const name of ['workloads', 'services', 'routeTables', 'clusters'] as const) {
    const metric = name === 'routeTables' ? 'route_tables' : name;
    new Gauge({
      name: `ambit_waypoint_${metric}`,
      help: `The ${metric.replace('_', ' ')} the waypoint holds from xDS.`,
      registers: [registry],
      collect() {
        this.set(state.sizes[name]);
      },
    });
  }
  return registry;
}
