import { errorText, formatAddress, type Logger } from '@ambit/telemetry';
import type { StateView } from '../state/index.js';
import { Socks5Server, type Socks5Context } from './socks5-server.js';

export interface LocalListenersOptions {
  readonly state: StateView;
  readonly nodeName: string;
  /** The port opened on each local workload address (0: one picked per listener, for tests). */
  readonly port: number;
  readonly context: Socks5Context;
  readonly log: Logger;
}

/** One local SOCKS5 entry as the admin dump shows it. */
export interface LocalListenerStatus {
  readonly workload: string;
  readonly address: string;
  /** `listening`, or why the address could not be bound (retried on the next state change). */
  readonly state: string;
}

interface Entry {
  readonly uid: string;
  readonly server: Socks5Server;
  state: string;
}

/**
 * Local mode's SOCKS5 entries: one listener on `<podIP>:<port>` for each address of
 * each workload scheduled on this node, opened and closed as xDS adds and removes
 * them. Whatever connects to a workload's entry sends as that workload.
 */
export class LocalSocks5Listeners {
  readonly #options: LocalListenersOptions;
  readonly #entries = new Map<string, Entry>();
  #unsubscribe: (() => void) | undefined;
  #reconciling: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: LocalListenersOptions) {
    this.#options = options;
  }

  /** Opens the listeners of the workloads known now, and follows the state from then on. */
  async start(): Promise<void> {
    this.#unsubscribe = this.#options.state.onChange(() => void this.#schedule());
    await this.#schedule();
  }

  status(): LocalListenerStatus[] {
    return [...this.#entries].map(([ip, entry]) => ({
      workload: entry.uid,
      address: formatAddress(entry.server.address ?? { host: ip, port: this.#options.port }),
      state: entry.state,
    }));
  }

  /** The bound address of a workload's entry, by workload uid (the first, for a dual-stack workload). */
  addressOf(uid: string): { readonly host: string; readonly port: number } | undefined {
    for (const entry of this.#entries.values()) if (entry.uid === uid && entry.server.address !== undefined) return entry.server.address;
    return undefined;
  }

  /** Stops accepting on every entry; relayed connections may go on until `deadline` (ms since epoch). */
  async close(deadline: number): Promise<void> {
    this.#closed = true;
    this.#unsubscribe?.();
    await this.#reconciling;
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((entry) => entry.server.close(deadline)));
  }

  // Reconciliations run one after another, so that a burst of updates never opens an address twice.
  #schedule(): Promise<void> {
    this.#reconciling = this.#reconciling.then(() => this.#reconcile());
    return this.#reconciling;
  }

  async #reconcile(): Promise<void> {
    if (this.#closed) return;
    const { state, nodeName, log } = this.#options;
    const wanted = new Map<string, string>();
    for (const workload of state.workloads.onNode(nodeName)) for (const ip of workload.workloadIps) wanted.set(ip, workload.uid);
    const closing: Promise<void>[] = [];
    for (const [ip, entry] of this.#entries) {
      if (wanted.get(ip) === entry.uid && entry.state === 'listening') continue;
      this.#entries.delete(ip);
      // A workload that left this node: its open connections are its own, cut now.
      closing.push(entry.server.close(Date.now()));
    }
    await Promise.all(closing);
    await Promise.all(
      [...wanted].filter(([ip]) => !this.#entries.has(ip)).map(async ([ip, uid]) => {
        const server = new Socks5Server({ host: ip, port: this.#options.port, source: () => state.workloads.byUid(uid) }, this.#options.context);
        const entry: Entry = { uid, server, state: 'opening' };
        this.#entries.set(ip, entry);
        try {
          await server.listen();
          entry.state = 'listening';
          log.info('socks5 entry opened', { workload: uid, address: formatAddress(server.address!) });
        } catch (error) {
          entry.state = errorText(error);
          log.warn('socks5 entry not opened', { workload: uid, error: errorText(error) });
        }
      }),
    );
  }
}
