import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { CertificateAuthority, createCsr, generateKeyPair, privateKeyToPem, type SpiffeId } from '@ambit/crypto';
import type { Http2Tuning, IpPort, WorkloadCertificate } from '@ambit/hbone';
import { BULK, ECHO } from '../bench-protocol.js';
import { announce, connectTo, pingPong, upload } from '../l4-client.js';
import { CLIENT, SERVER, type HopConfig, type HopRole } from './hop.js';

type Pki = Pick<HopConfig, 'roots' | 'clientCertificate' | 'serverCertificate'>;

/** A path from the client to the server: the hops in order, each its own process. */
export interface Path {
  readonly name: string;
  readonly hops: readonly HopRole[];
  readonly tuning?: Http2Tuning;
  /** Another build of `@ambit/hbone` for the hops (a path to its entry module). */
  readonly hboneModule?: string;
  /** Extra environment for the path's hop processes. */
  readonly env?: Readonly<Record<string, string>>;
}

/** A started path: where the client connects, and the processes between it and the server, in order. */
export interface StartedPath {
  readonly entry: IpPort;
  readonly hops: readonly ChildProcess[];
}

/**
 * One bulk upload: throughput, and CPU seconds spent per GiB carried, by each hop (in
 * path order) and by the whole path (client, hops and server). On a machine with fewer
 * cores than processes the path's CPU per byte sets the throughput; with a core each,
 * the busiest process does.
 */
export interface BulkResult {
  readonly mbPerSecond: number;
  readonly hopCpuPerGiB: readonly number[];
  readonly pathCpuPerGiB: number;
}

export interface TopologyOptions {
  readonly bulkBytes: number;
  readonly chunkBytes: number;
  /** Node flags for the hop processes, e.g. `--cpu-prof`. */
  readonly hopExecArgv: readonly string[];
}

const MESSAGE = Buffer.alloc(100, 1);

/**
 * The benchmark's processes: one server, and the hops of every started path, each a
 * child process (`hop.ts`); the client is this process. `stop` ends them all.
 */
export class Topology {
  readonly #children: ChildProcess[] = [];
  readonly #options: TopologyOptions;
  readonly #pki: Pki;
  #server: { readonly address: IpPort; readonly child: ChildProcess } | undefined;

  private constructor(options: TopologyOptions, pki: Pki) {
    this.#options = options;
    this.#pki = pki;
  }

  static async create(options: TopologyOptions): Promise<Topology> {
    const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const issue = (identity: SpiffeId): WorkloadCertificate => {
      const { privateKey } = generateKeyPair();
      return { certChain: pems(ca.sign(createCsr(privateKey, identity), { identity }).certChain), privateKey: privateKeyToPem(privateKey) };
    };
    return new Topology(options, { roots: pems(ca.trustBundle()), clientCertificate: issue(CLIENT), serverCertificate: issue(SERVER) });
  }

  /** Starts the path's hops (last first, each pointing at the next). */
  async start(path: Path): Promise<StartedPath> {
    this.#server ??= await this.#hop({ role: 'server' });
    let entry = this.#server.address;
    const hops: ChildProcess[] = [];
    for (const role of [...path.hops].reverse()) {
      const hop = await this.#hop({ role, next: entry, destination: this.#server.address, tuning: path.tuning, hboneModule: path.hboneModule }, path.env);
      entry = hop.address;
      hops.unshift(hop.child);
    }
    return { entry, hops };
  }

  /** Uploads `bulkBytes` on a new connection through the path and waits for the server's answer to the end. */
  async bulk({ entry, hops }: StartedPath): Promise<BulkResult> {
    const processes = [...hops, this.#server!.child];
    const cpuBefore = await Promise.all(processes.map(cpuSeconds));
    const clientBefore = process.cpuUsage();
    const { bulkBytes, chunkBytes } = this.#options;
    const socket = announce(await connectTo(entry), BULK);
    const seconds = await upload(socket, bulkBytes, chunkBytes);
    socket.destroy();
    const client = process.cpuUsage(clientBefore);
    const cpuAfter = await Promise.all(processes.map(cpuSeconds));
    const gib = bulkBytes / 1024 ** 3;
    const perGiB = cpuAfter.map((after, index) => (after - cpuBefore[index]!) / gib);
    return {
      mbPerSecond: bulkBytes / 1024 / 1024 / seconds,
      hopCpuPerGiB: perGiB.slice(0, hops.length),
      pathCpuPerGiB: perGiB.reduce((sum, value) => sum + value, (client.user + client.system) / 1e6 / gib),
    };
  }

  /** `count` sequential 100-byte round trips on one connection through the path (after 100 unmeasured): µs each. */
  async roundTrips({ entry }: StartedPath, count: number): Promise<number[]> {
    const socket = announce(await connectTo(entry), ECHO);
    await pingPong(socket, 100, MESSAGE);
    const samples = await pingPong(socket, count, MESSAGE);
    socket.destroy();
    return samples;
  }

  /** `count` times: a new connection through the path and one 100-byte round trip on it: µs each. */
  async newConnections({ entry }: StartedPath, count: number): Promise<number[]> {
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      const socket = announce(await connectTo(entry), ECHO);
      await pingPong(socket, 1, MESSAGE);
      samples.push((performance.now() - start) * 1000);
      // Ended with FIN, as an application ends a connection (a relay turns it into END_STREAM).
      socket.end();
      await once(socket, 'close');
    }
    return samples;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.#children.map(async (child) => {
        if (child.exitCode !== null) return;
        const exited = once(child, 'exit');
        child.disconnect();
        await exited;
      }),
    );
  }

  async #hop(config: Omit<HopConfig, keyof Pki>, env: Readonly<Record<string, string>> = {}): Promise<{ address: IpPort; child: ChildProcess }> {
    const child = fork(new URL('./hop.js', import.meta.url), { execArgv: [...this.#options.hopExecArgv], env: { ...process.env, ...env }, stdio: 'inherit' });
    this.#children.push(child);
    child.send({ ...config, ...this.#pki } satisfies HopConfig);
    const exited = once(child, 'exit').then(() => Promise.reject(new Error(`the ${config.role} hop exited before listening`)));
    const [reply] = (await Promise.race([once(child, 'message'), exited])) as [{ port: number }];
    exited.catch(() => undefined);
    return { address: { ip: '127.0.0.1', port: reply.port }, child };
  }
}

/** The hop's user plus system CPU time so far, in seconds. */
async function cpuSeconds(child: ChildProcess): Promise<number> {
  const reply = once(child, 'message') as Promise<[{ cpu: NodeJS.CpuUsage }]>;
  child.send('cpu');
  const [{ cpu }] = await reply;
  return (cpu.user + cpu.system) / 1e6;
}

/** One PEM text from several (the hops hand them to `tls` as they are). */
function pems(list: readonly string[]): string {
  return list.map((pem) => (pem.endsWith('\n') ? pem : `${pem}\n`)).join('');
}
