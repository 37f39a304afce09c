import type { LocalListenerKind } from '../local-listeners/index.js';
import type { StateView } from '../state/index.js';
import { Socks5Server, type Socks5Context } from './socks5-server.js';

export interface Socks5EntriesOptions {
  readonly state: StateView;
  /** The port opened on each local workload address (0: one picked per entry, for tests). */
  readonly port: number;
  readonly context: Socks5Context;
}

/**
 * Local mode's SOCKS5 entries, as a kind of per-workload listener: one on
 * `<podIP>:<port>` for each address of each local workload. Whatever connects to a
 * workload's entry sends as that workload.
 */
export function socks5Entries(options: Socks5EntriesOptions): LocalListenerKind {
  const { state, port, context } = options;
  return {
    name: 'socks5',
    create: ({ workloadUid, ip }) => new Socks5Server({ host: ip, port, source: () => state.workloads.byUid(workloadUid) }, context),
  };
}
