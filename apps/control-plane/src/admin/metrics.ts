import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { FileStatus } from '../provider/index.js';

/**
 * A registry per control plane rather than prom-client's global one, so that several
 * control planes in one process (tests) never share or clash over series. It carries
 * the process's own metrics too (`process_resident_memory_bytes`, `nodejs_heap_*`, event
 * loop lag), as istiod exports Go's: memory is what operators size the control plane by.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** The file provider's health as metrics, read from its status at scrape time. */
export function registerConfigMetrics(registry: Registry, files: () => readonly FileStatus[]): void {
  new Gauge({
    name: 'ambit_config_files_with_errors',
    help: 'Config files whose latest content has errors (their last good version, if any, stays in force).',
    registers: [registry],
    collect() {
      this.set(files().filter((file) => !file.ok).length);
    },
  });
  new Gauge({
    name: 'ambit_config_files',
    help: 'Config files read from the config directory.',
    registers: [registry],
    collect() {
      this.set(files().length);
    },
  });
}
