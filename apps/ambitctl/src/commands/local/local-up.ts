import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliIo } from '../../io.js';
import { checkBuilt, CONTROL_PLANE, INGRESS_GATEWAY, SAMPLE_ECHO, WAYPOINT, ZTUNNEL } from './binaries.js';
import { describeExit, ManagedChild, type ChildExit } from './child.js';
import { AlreadyRunningError, ComponentExitedError, NotReadyError, PortInUseError } from './errors.js';
import { waitUntilReady } from '../../http-probe.js';
import { lowPortOffset } from './gateways.js';
import { loadLocalConfig } from './load-local-config.js';
import { planLocalMesh, type LocalPlan } from './plan.js';
import { plannedListeners, unavailableListeners } from './ports.js';
import { isAlive, readState, removeState, writeState, type LocalState } from './state-file.js';
import { stopSignals, type StopSignals } from './stop-signals.js';
import { renderSummary } from './summary.js';
import { writeNodeTokens, type NodeTokenFiles } from './tokens.js';

export interface LocalUpOptions {
  /** The config directory (absolute). */
  readonly configDir: string;
  /** Where the CA, the node tokens and local.json are kept (absolute). */
  readonly stateDir: string;
  readonly xdsPort: number;
  readonly adminPort: number;
  /** How long each component may take to report ready. */
  readonly readyTimeoutMs: number;
  /** How long each component may drain after SIGTERM before it is killed. */
  readonly stopTimeoutMs: number;
  /** Passed on to every component; undefined: their default. */
  readonly logLevel: string | undefined;
}

/** A checked config and the tokens for its nodes: everything needed to start. */
export interface PreparedMesh {
  readonly plan: LocalPlan;
  readonly tokens: NodeTokenFiles;
}

/**
 * Everything `local up` checks before it starts anything: the config (validation and
 * local mode's rules), that no other local mesh runs on the state directory, that the
 * programs are built, and that every address to listen on is free. Then writes the
 * node tokens. Throws a typed error at the first check that fails.
 */
export async function prepareLocalMesh(options: LocalUpOptions, io: CliIo): Promise<PreparedMesh> {
  const resources = await loadLocalConfig(options.configDir, io);
  const plan = planLocalMesh(resources, { xds: options.xdsPort, admin: options.adminPort, lowPortOffset: lowPortOffset() });
  const previous = await readState(options.stateDir).catch(() => undefined);
  if (previous !== undefined && previous.pid !== process.pid && isAlive(previous.pid)) throw new AlreadyRunningError(options.stateDir, previous.pid);
  await checkBuilt([
    CONTROL_PLANE,
    ZTUNNEL,
    ...(plan.waypoints.length > 0 ? [WAYPOINT] : []),
    ...(plan.gateways.length > 0 ? [INGRESS_GATEWAY] : []),
    ...(plan.samples.length > 0 ? [SAMPLE_ECHO] : []),
  ]);
  const taken = await unavailableListeners(plannedListeners(plan));
  if (taken.length > 0) throw new PortInUseError(taken);
  await mkdir(options.stateDir, { recursive: true });
  const tokens = await writeNodeTokens(
    options.stateDir,
    plan.nodes.map((n) => n.name),
  );
  return { plan, tokens };
}

type Stop = { readonly kind: 'signal' } | { readonly kind: 'exit'; readonly child: ManagedChild; readonly exit: ChildExit };

/**
 * Runs a prepared mesh: the control plane, once it is ready the waypoints, once they
 * are ready one ztunnel per node, once they are ready the sample workloads the config
 * asks for, once those answer the ingress gateways, and once they are ready the
 * summary; then waits for SIGINT, SIGTERM or SIGHUP, or for a component to end.
 * Whatever happens, every component started is stopped (gateways first, then samples,
 * waypoints, ztunnels, each with SIGTERM, then SIGKILL after the stop timeout) and
 * local.json removed before this returns. Resolves after a signal; rejects with
 * ComponentExitedError or NotReadyError when a component failed.
 */
export async function runLocalMesh(prepared: PreparedMesh, options: LocalUpOptions, io: CliIo): Promise<void> {
  const run = new LocalMeshRun(prepared, options, io);
  let failure: unknown;
  try {
    await run.start();
  } catch (error) {
    failure = error;
  }
  try {
    await run.stop();
  } catch (error) {
    // What went wrong first is what the user needs to know.
    failure ??= error;
  }
  if (failure !== undefined) throw failure;
}

class LocalMeshRun {
  readonly #plan: LocalPlan;
  readonly #tokens: NodeTokenFiles;
  readonly #options: LocalUpOptions;
  readonly #io: CliIo;
  readonly #signals: StopSignals;
  #controlPlane: ManagedChild | undefined;
  readonly #ztunnels: ManagedChild[] = [];
  readonly #waypoints: ManagedChild[] = [];
  readonly #samples: ManagedChild[] = [];
  readonly #gateways: ManagedChild[] = [];
  readonly #startedAt = new Date().toISOString();
  #interrupted = false;

  constructor(prepared: PreparedMesh, options: LocalUpOptions, io: CliIo) {
    this.#plan = prepared.plan;
    this.#tokens = prepared.tokens;
    this.#options = options;
    this.#io = io;
    // Listening before anything starts, so that a signal during start-up stops cleanly too.
    this.#signals = stopSignals();
    void this.#signals.received.then(() => {
      this.#interrupted = true;
    });
    this.#signals.onRepeat(() => {
      this.#say('stopping now');
      for (const child of this.#children()) child.kill();
    });
  }

  async start(): Promise<void> {
    const { plan, options } = { plan: this.#plan, options: this.#options };
    const logLevel = options.logLevel === undefined ? [] : ['--log-level', options.logLevel];
    this.#say(`starting the control plane on ${plan.controlPlane.xds} (admin ${plan.controlPlane.admin})`);
    this.#controlPlane = this.#spawn('control-plane', CONTROL_PLANE.bin, [
      ...['--provider', 'file', '--config-dir', options.configDir, '--ca-dir', join(options.stateDir, 'ca'), '--node-tokens', this.#tokens.tokensFile],
      ...['--xds-address', plan.controlPlane.xds, '--admin-address', plan.controlPlane.admin, ...logLevel],
    ]);
    if ((await this.#ready(this.#controlPlane, `http://${plan.controlPlane.admin}/ready`)).kind === 'signal') return;

    // Before the ztunnels: in local mode a ztunnel opens its listeners (HBONE :15008
    // among them) on the address of every workload of its node, the waypoint pod's too,
    // where the waypoint must serve HBONE itself. Holding that port first, the waypoint
    // keeps it (the ztunnel logs that it cannot open it). The waypoint needs only the
    // control plane: its node's token, the CA and xDS.
    const tokenOf = (node: string): string => this.#tokens.nodeFiles.get(node)!;
    const credentials = ['--xds-address', plan.controlPlane.xds, '--xds-root-cert', join(options.stateDir, 'ca', 'root-cert.pem')];
    if (plan.waypoints.length > 0) {
      this.#say(`starting ${plan.waypoints.length} waypoint${plan.waypoints.length === 1 ? '' : 's'}`);
      for (const waypoint of plan.waypoints) {
        this.#waypoints.push(
          this.#spawn(`waypoint ${waypoint.name}`, WAYPOINT.bin, [
            ...['--node-name', waypoint.node, '--pod-ip', waypoint.address, ...credentials, '--xds-token-file', tokenOf(waypoint.node)],
            ...['--admin-address', waypoint.admin, '--metrics-address', waypoint.metrics, '--readiness-address', waypoint.readiness, ...logLevel],
          ]),
        );
      }
      await writeState(this.#state('starting'));
      const ready = await Promise.all(this.#waypoints.map((child, i) => this.#ready(child, `http://${plan.waypoints[i]!.readiness}/healthz/ready`)));
      if (ready.some((o) => o.kind === 'signal')) return;
    }

    this.#say(`starting ${plan.nodes.length} ztunnel${plan.nodes.length === 1 ? '' : 's'}`);
    for (const node of plan.nodes) {
      this.#ztunnels.push(
        this.#spawn(`ztunnel ${node.name}`, ZTUNNEL.bin, [
          ...['--node-name', node.name, ...credentials, '--xds-token-file', tokenOf(node.name)],
          ...['--admin-address', node.admin, '--metrics-address', node.metrics, '--readiness-address', node.readiness, ...logLevel],
        ]),
      );
    }
    await writeState(this.#state('starting'));
    const outcomes = await Promise.all(this.#ztunnels.map((child, i) => this.#ready(child, `http://${plan.nodes[i]!.readiness}/healthz/ready`)));
    if (outcomes.some((o) => o.kind === 'signal')) return;

    // After the ztunnels: a sample is a pod's application, reached through its node's ztunnel.
    if (plan.samples.length > 0) {
      this.#say(`starting ${plan.samples.length} sample workload${plan.samples.length === 1 ? '' : 's'}`);
      for (const sample of plan.samples) {
        this.#samples.push(
          this.#spawn(`sample ${sample.name}`, SAMPLE_ECHO.bin, [
            ...sample.listen.flatMap((address) => ['--listen', address]),
            ...['--pod', sample.name, '--namespace', sample.namespace, '--app', sample.app, '--version', sample.version, ...logLevel],
          ]),
        );
      }
      await writeState(this.#state('starting'));
      const answers = await Promise.all(this.#samples.map((child, i) => this.#ready(child, `http://${plan.samples[i]!.listen[0]}/healthz`)));
      if (answers.some((o) => o.kind === 'signal')) return;
    }

    // Last, the door from outside: a gateway sends into the mesh over HBONE to the ztunnels
    // (and waypoints) started above, and to the applications behind them.
    if (plan.gateways.length > 0) {
      this.#say(`starting ${plan.gateways.length} ingress gateway${plan.gateways.length === 1 ? '' : 's'}`);
      for (const gateway of plan.gateways) {
        this.#gateways.push(
          this.#spawn(`gateway ${gateway.name}`, INGRESS_GATEWAY.bin, [
            ...['--node-name', gateway.node, '--pod-ip', gateway.address, ...credentials, '--xds-token-file', tokenOf(gateway.node)],
            ...['--config-dir', options.configDir, '--low-port-offset', String(gateway.lowPortOffset)],
            ...['--admin-address', gateway.admin, '--metrics-address', gateway.metrics, '--readiness-address', gateway.readiness, ...logLevel],
          ]),
        );
      }
      await writeState(this.#state('starting'));
      const ready = await Promise.all(this.#gateways.map((child, i) => this.#ready(child, `http://${plan.gateways[i]!.readiness}/healthz/ready`)));
      if (ready.some((o) => o.kind === 'signal')) return;
    }

    await writeState(this.#state('running'));
    this.#io.stdout.write(renderSummary(plan, { configDir: options.configDir, stateDir: options.stateDir }));
    const stop = await Promise.race([this.#signals.received.then((): Stop => ({ kind: 'signal' })), this.#firstExit()]);
    if (stop.kind === 'exit') throw new ComponentExitedError(stop.child.name, describeExit(stop.exit), stop.child.lastLines());
  }

  /**
   * Stops every component started: the gateways first (no new requests come in from
   * outside), then the samples (the applications), then the waypoints (they drain their requests while the ztunnels still carry them), then the
   * ztunnels (they would only retry a control plane that is gone), then the control plane.
   */
  async stop(): Promise<void> {
    const interrupted = this.#interrupted;
    if (interrupted) this.#say('stopping');
    const grace = this.#options.stopTimeoutMs;
    const unclean: { child: ManagedChild; exit: ChildExit }[] = [];
    const stopAll = async (children: readonly ManagedChild[]): Promise<void> => {
      await Promise.all(
        children.map(async (child) => {
          const wasRunning = child.running;
          const exit = await child.stop(grace);
          if (wasRunning && exit.code !== 0) unclean.push({ child, exit });
        }),
      );
    };
    try {
      await stopAll(this.#gateways);
      await stopAll(this.#samples);
      await stopAll(this.#waypoints);
      await stopAll(this.#ztunnels);
      await stopAll(this.#controlPlane === undefined ? [] : [this.#controlPlane]);
      await removeState(this.#options.stateDir);
    } finally {
      this.#signals.cancel();
    }
    const first = unclean[0];
    if (first !== undefined) throw new ComponentExitedError(first.child.name, `${describeExit(first.exit)} while stopping`, first.child.lastLines());
    if (interrupted) this.#say('stopped');
  }

  #children(): ManagedChild[] {
    return [...this.#gateways, ...this.#samples, ...this.#waypoints, ...this.#ztunnels, ...(this.#controlPlane === undefined ? [] : [this.#controlPlane])];
  }

  #spawn(name: string, bin: string, args: readonly string[]): ManagedChild {
    return new ManagedChild(name, process.execPath, [bin, ...args], this.#io);
  }

  /** Resolves with the first component to end (from those started so far). */
  #firstExit(): Promise<Stop> {
    return Promise.race(this.#children().map((child) => child.exited.then((exit): Stop => ({ kind: 'exit', child, exit }))));
  }

  /**
   * Waits until `child` answers 200 at `url`; throws when it, or any component started
   * before it, ends first, or when it is not ready in time. A signal ends the wait.
   */
  async #ready(child: ManagedChild, url: string): Promise<{ kind: 'ready' | 'signal' }> {
    const outcome = await Promise.race([
      waitUntilReady(url, this.#options.readyTimeoutMs, this.#firstExit()).then((probe) => ({ kind: 'probe' as const, probe })),
      this.#signals.received.then((): Stop => ({ kind: 'signal' })),
      this.#firstExit(),
    ]);
    if (outcome.kind === 'signal') return { kind: 'signal' };
    if (outcome.kind === 'exit') throw new ComponentExitedError(outcome.child.name, describeExit(outcome.exit), outcome.child.lastLines());
    if (!outcome.probe.ready) {
      // A probe that gave up because a component ended: report that component.
      const ended = this.#children().find((c) => !c.running);
      if (ended !== undefined) throw new ComponentExitedError(ended.name, describeExit(await ended.exited), ended.lastLines());
      throw new NotReadyError(child.name, url, this.#options.readyTimeoutMs, outcome.probe.last);
    }
    return { kind: 'ready' };
  }

  #state(phase: LocalState['phase']): LocalState {
    const { plan, options } = { plan: this.#plan, options: this.#options };
    return {
      version: 1,
      phase,
      pid: process.pid,
      startedAt: this.#startedAt,
      configDir: options.configDir,
      stateDir: options.stateDir,
      controlPlane: { pid: this.#controlPlane?.pid ?? 0, ...plan.controlPlane },
      nodes: plan.nodes.map((node, i) => ({ name: node.name, address: node.address, pid: this.#ztunnels[i]?.pid ?? 0, admin: node.admin, metrics: node.metrics, readiness: node.readiness })),
      workloads: plan.workloads,
      services: plan.services,
      samples: plan.samples.map((sample, i) => ({ ...sample, pid: this.#samples[i]?.pid ?? 0 })),
      waypoints: plan.waypoints.map((waypoint, i) => ({ ...waypoint, pid: this.#waypoints[i]?.pid ?? 0 })),
      gateways: plan.gateways.map((gateway, i) => ({ ...gateway, pid: this.#gateways[i]?.pid ?? 0 })),
    };
  }

  #say(text: string): void {
    this.#io.stderr.write(`ambitctl: ${text}\n`);
  }
}
