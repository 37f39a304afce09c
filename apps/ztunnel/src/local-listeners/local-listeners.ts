import { errorText, formatAddress, type Logger } from '@ambit/telemetry';
import type { StateView, Workload } from '../state/index.js';
import type { LocalListener, LocalListenerKind } from './local-listener.js';

export interface LocalListenersOptions {
  readonly state: StateView;
  readonly nodeName: string;
  /** What to open on every address of every workload on this node. */
  readonly kinds: readonly LocalListenerKind[];
  readonly log: Logger;
  /**
   * Which local workloads get listeners, and where: undefined skips the workload; an
   * object may name the pod's network namespace (in-pod capture). Default: every local
   * workload, in this process's namespace. Asked again at every state change.
   */
  readonly placement?: (workload: Workload) => { readonly netns?: string } | undefined;
}

/** One local listener as the admin dump shows it. */
export interface LocalListenerStatus {
  readonly kind: string;
  readonly workload: string;
  readonly address: string;
  /** `listening`, or why the address could not be bound (retried on the next state change). */
  readonly state: string;
}

interface Entry {
  readonly kind: string;
  readonly uid: string;
  readonly ip: string;
  readonly netns: string | undefined;
  readonly listener: LocalListener;
  state: string;
}

/**
 * Local mode's per-workload listeners (ztunnel's in-pod mode, without network
 * namespaces): for each address of each workload scheduled on this node, one listener
 * of every kind (SOCKS5 entry, HBONE inbound, plaintext inbound), opened and closed as
 * xDS adds and removes workloads. An address that cannot be bound is reported in the
 * status and retried on the next state change.
 */
export class LocalListeners {
  readonly #options: LocalListenersOptions;
  /** By `<kind> <ip>`. */
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
    return [...this.#entries.values()].map((entry) => ({
      kind: entry.kind,
      workload: entry.uid,
      address: entry.listener.address === undefined ? entry.ip : formatAddress(entry.listener.address),
      state: entry.state,
    }));
  }

  /** The bound address of a workload's listener of `kind`, by workload uid (the first, for a dual-stack workload). */
  addressOf(kind: string, uid: string): { readonly host: string; readonly port: number } | undefined {
    for (const entry of this.#entries.values()) if (entry.kind === kind && entry.uid === uid && entry.listener.address !== undefined) return entry.listener.address;
    return undefined;
  }

  /**
   * Whether `ip:port` is one of these listeners. Inbound refuses to forward there: a
   * tunnel into a workload's own SOCKS5 entry would let the caller send as that
   * workload, and one into an inbound listener would loop (ztunnel's "self call").
   */
  owns(ip: string, port: number): boolean {
    for (const entry of this.#entries.values()) if (entry.ip === ip && entry.listener.address?.port === port) return true;
    return false;
  }

  /** Stops accepting on every listener; open connections may go on until `deadline` (ms since epoch). */
  async close(deadline: number): Promise<void> {
    this.#closed = true;
    this.#unsubscribe?.();
    await this.#reconciling;
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((entry) => entry.listener.close(deadline)));
  }

  // Reconciliations run one after another, so that a burst of updates never opens an address twice.
  #schedule(): Promise<void> {
    this.#reconciling = this.#reconciling.then(() => this.#reconcile());
    return this.#reconciling;
  }

  async #reconcile(): Promise<void> {
    if (this.#closed) return;
    const { state, nodeName, kinds, log } = this.#options;
    const placement = this.#options.placement ?? ((): { readonly netns?: string } => ({}));
    const wanted = new Map<string, { uid: string; netns: string | undefined }>();
    for (const workload of state.workloads.onNode(nodeName)) {
      const place = placement(workload);
      if (place !== undefined) for (const ip of workload.workloadIps) wanted.set(ip, { uid: workload.uid, netns: place.netns });
    }
    const closing: Promise<void>[] = [];
    for (const [key, entry] of this.#entries) {
      const want = wanted.get(entry.ip);
      if (want?.uid === entry.uid && want.netns === entry.netns && entry.state === 'listening') continue;
      this.#entries.delete(key);
      // A workload that left this node: its open connections are its own, cut now.
      closing.push(entry.listener.close(Date.now()));
    }
    await Promise.all(closing);
    const opening: Promise<void>[] = [];
    for (const [ip, { uid, netns }] of wanted) {
      for (const kind of kinds) {
        const key = `${kind.name} ${ip}`;
        if (this.#entries.has(key)) continue;
        const address = { workloadUid: uid, ip, ...(netns === undefined ? {} : { netns }) };
        const entry: Entry = { kind: kind.name, uid, ip, netns, listener: kind.create(address), state: 'opening' };
        this.#entries.set(key, entry);
        opening.push(
          entry.listener.listen().then(
            () => {
              entry.state = 'listening';
              log.info(`${kind.name} listener opened`, { workload: uid, address: formatAddress(entry.listener.address!) });
            },
            (error: unknown) => {
              entry.state = errorText(error);
              log.warn(`${kind.name} listener not opened`, { workload: uid, error: errorText(error) });
            },
          ),
        );
      }
    }
    await Promise.all(opening);
  }
}
