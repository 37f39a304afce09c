import type { MeshView, ProxyFront, RequestEngine } from '@ambit/l7-proxy';
import { errorText, type Logger } from '@ambit/telemetry';
import type { CredentialStore } from '../credentials/index.js';
import { planPorts, type PortPlan, type SkippedServer } from './port-plan.js';
import { PortServer, type PortStatus } from './port-server.js';

export interface GatewayListenersOptions {
  readonly state: MeshView;
  readonly engine: RequestEngine;
  readonly credentials: CredentialStore;
  /** The gateway's pod IP: where servers without `bind` are served. */
  readonly podIp: string;
  readonly namespace: string;
  /** Where server port P is served (ports below 1024 moved up when not root). */
  readonly listenPort: (port: number) => number;
  readonly log: Logger;
}

/**
 * The gateway's front: one PortServer per server port of the Listeners it receives,
 * kept in line with them. After every xDS change (and every credential reload) the
 * ports are reconciled one change at a time: a port whose servers changed is closed and
 * bound again, a port no Listener has is closed, a new one is bound. A port that cannot
 * be served (its address taken, no usable credential) is reported and tried again at
 * the next change; the other ports are served meanwhile.
 */
export class GatewayListeners implements ProxyFront {
  readonly #options: GatewayListenersOptions;
  readonly #ports = new Map<number, { readonly key: string; readonly server: PortServer }>();
  #failures: ReadonlyMap<number, string> = new Map();
  #skipped: readonly SkippedServer[] = [];
  #reconciling: Promise<void> = Promise.resolve();
  #queued = false;
  #busy = false;
  /** The credentials were read again since the last reconciliation: bound HTTPS ports take them. */
  #credentialsChanged = false;
  #closed = false;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(options: GatewayListenersOptions) {
    this.#options = options;
    this.#unsubscribe.push(
      options.state.onChange(() => void this.reconcile()),
      options.credentials.onChange(() => {
        this.#credentialsChanged = true;
        void this.reconcile();
      }),
    );
  }

  /** Brings the bound ports in line with the Listeners; resolves when done (changes meanwhile are done next). */
  reconcile(): Promise<void> {
    if (this.#queued) return this.#reconciling;
    this.#queued = true;
    this.#reconciling = this.#reconciling.then(async () => {
      this.#queued = false;
      this.#busy = true;
      try {
        if (!this.#closed) await this.#apply();
      } finally {
        this.#busy = false;
      }
    });
    return this.#reconciling;
  }

  pending(): string | undefined {
    return this.#busy || this.#queued ? 'binding Gateway ports' : undefined;
  }

  /** The ports served, by their listen address. */
  ports(): readonly PortStatus[] {
    return [...this.#ports.values()].map(({ server }) => server.status());
  }

  dump(): Readonly<Record<string, unknown>> {
    return {
      ports: this.ports(),
      portFailures: Object.fromEntries(this.#failures),
      skippedServers: this.#skipped,
    };
  }

  async close(deadline: number): Promise<void> {
    this.#closed = true;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    await this.#reconciling;
    await Promise.all([...this.#ports.values()].map(({ server }) => server.close(deadline)));
    this.#ports.clear();
  }

  async #apply(): Promise<void> {
    const { log } = this.#options;
    const { ports: desired, skipped } = planPorts(this.#options.state.listeners);
    for (const each of skipped) if (!this.#skipped.some((s) => s.name === each.name && s.reason === each.reason)) log.warn('Gateway server not served', { ...each });
    this.#skipped = skipped;
    for (const [port, { key, server }] of [...this.#ports]) {
      if (desired.get(port) !== undefined && keyOf(desired.get(port)!) === key) continue;
      this.#ports.delete(port);
      await server.close(Date.now());
      log.info('Gateway port closed', { port });
    }
    const failures = new Map<number, string>();
    const refresh = this.#credentialsChanged;
    this.#credentialsChanged = false;
    for (const [port, plan] of desired) {
      const existing = this.#ports.get(port);
      try {
        if (existing !== undefined) {
          if (refresh) existing.server.refresh();
          continue;
        }
        const server = this.#portServer(plan);
        try {
          await server.listen();
        } catch (error) {
          await server.close(Date.now());
          throw error;
        }
        this.#ports.set(port, { key: keyOf(plan), server });
        log.info('Gateway port serving', { port, address: server.status().address, kind: plan.kind, servers: plan.servers.map((s) => s.name).join(', ') });
      } catch (error) {
        failures.set(port, errorText(error));
        if (this.#failures.get(port) !== errorText(error)) log.error('Gateway port not served', { port, error: errorText(error) });
      }
    }
    this.#failures = failures;
  }

  #portServer(plan: PortPlan): PortServer {
    const { podIp, listenPort, credentials, engine, namespace, log } = this.#options;
    const host = plan.servers[0]!.bind || podIp;
    return new PortServer({ plan, host, port: listenPort(plan.port), namespace, credentials, engine, log: log.child(`port-${plan.port}`) });
  }
}

function keyOf(plan: PortPlan): string {
  return JSON.stringify(plan);
}
