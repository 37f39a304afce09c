import { lookup } from 'node:dns/promises';
import { canonicalIp, type StateView, type Workload } from '../state/index.js';
import { UnresolvedHostError } from './errors.js';
import { resolveMeshName } from './mesh-names.js';
import type { OutboundTarget } from './plan.js';

/** The system resolver's part: a host name to one IP address. */
export type SystemLookup = (host: string) => Promise<string>;

export interface DestinationResolverOptions {
  readonly clusterDomain: string;
  /** Default: getaddrinfo through node:dns (hosts file, then DNS), first address. */
  readonly lookup?: SystemLookup;
  /** How long the system resolver may take (default 5 s). */
  readonly lookupTimeoutMs?: number;
}

const systemLookup: SystemLookup = async (host) => (await lookup(host)).address;

/**
 * Turns what a client asked for (an IP or a host name, and a port) into an outbound
 * target: an IP as it is; a name through the mesh's names first (services and
 * workloads, with the source's namespace search list), else through the system resolver.
 */
export class DestinationResolver {
  readonly #state: StateView;
  readonly #clusterDomain: string;
  readonly #lookup: SystemLookup;
  readonly #timeoutMs: number;

  constructor(state: StateView, options: DestinationResolverOptions) {
    this.#state = state;
    this.#clusterDomain = options.clusterDomain;
    this.#lookup = options.lookup ?? systemLookup;
    this.#timeoutMs = options.lookupTimeoutMs ?? 5000;
  }

  async resolve(source: Workload, host: string, port: number): Promise<OutboundTarget> {
    const ip = canonicalIp(host);
    if (ip !== undefined) return { kind: 'address', ip, port };
    const mesh = resolveMeshName(this.#state, host, source.namespace, this.#clusterDomain);
    if (mesh?.kind === 'service') return { kind: 'service', service: mesh.service, port };
    if (mesh?.kind === 'workload') return { kind: 'workload', workload: mesh.workload, port };
    return { kind: 'address', ip: await this.#system(host), port };
  }

  async #system(host: string): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    try {
      const address = canonicalIp(await Promise.race([this.#lookup(host), deadline]));
      if (address === undefined) throw new Error('the resolver returned no IP address');
      return address;
    } catch (error) {
      throw new UnresolvedHostError(host, error);
    } finally {
      clearTimeout(timer);
    }
  }
}
