import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ExitCode, isAmbitError } from '@ambit/errors';
import { clusterDown, clusterUp, targetNetns } from '../cluster.js';
import type { ExecTarget } from '../cluster.js';
import { emitYaml } from '../emit/emit-yaml.js';
import { ClusterUsageError } from '../errors.js';
import { nodeNetns, podNetns } from '../plan/names.js';
import { requireRoot } from '../preflight.js';
import type { ClusterSpec } from '../spec/cluster-spec.js';
import { loadClusterSpec } from '../spec/load-spec.js';

export const USAGE = `usage:
  netns-cluster up -f <cluster.yaml>             build the cluster (root)
  netns-cluster down (-f <cluster.yaml> | --name <name>)
                                                 remove everything of the cluster, also after a crash (root)
  netns-cluster exec -f <cluster.yaml> (<pod> | <namespace>/<pod> | --node <node>) -- <command> [args...]
                                                 run a command inside a pod's (or node's) network namespace (root)
  netns-cluster emit-yaml -f <cluster.yaml>      print the Namespace/Node/ServiceAccount/Service/Pod YAML of the cluster
The description format is in docs/netns.md.`;

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** The CLI: returns the exit code; errors are printed with their code and hint. */
export async function main(argv: readonly string[], io: CliIo = process): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    const message = isAmbitError(error) ? `${error.code}: ${error.describe()}` : error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`netns-cluster: ${message}\n`);
    return error instanceof ClusterUsageError ? ExitCode.Usage : ExitCode.Failed;
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const dashDash = argv.indexOf('--');
  const own = dashDash < 0 ? argv : argv.slice(0, dashDash);
  const command = dashDash < 0 ? [] : argv.slice(dashDash + 1);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...own],
      allowPositionals: true,
      options: { file: { type: 'string', short: 'f' }, name: { type: 'string' }, node: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new ClusterUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [verb, ...rest] = positionals;
  if (values.help === true || verb === undefined) {
    (values.help === true ? io.stdout : io.stderr).write(`${USAGE}\n`);
    return values.help === true ? ExitCode.Ok : ExitCode.Usage;
  }
  switch (verb) {
    case 'up': {
      noExtra(verb, rest);
      const spec = await loadClusterSpec(requireFile(verb, values.file));
      requireRoot(verb);
      await clusterUp(spec);
      io.stdout.write(describeCluster(spec));
      return ExitCode.Ok;
    }
    case 'down': {
      noExtra(verb, rest);
      const name = values.name ?? (values.file === undefined ? undefined : (await loadClusterSpec(values.file)).name);
      if (name === undefined) throw new ClusterUsageError('down needs -f <cluster.yaml> or --name <name>');
      requireRoot(verb);
      const removed = await clusterDown(name);
      io.stdout.write(removed.length === 0 ? `cluster ${name} is not up: nothing to remove\n` : `removed cluster ${name}: ${removed.join(' ')}\n`);
      return ExitCode.Ok;
    }
    case 'exec': {
      const spec = await loadClusterSpec(requireFile(verb, values.file));
      const target: ExecTarget = values.node !== undefined ? { node: values.node } : { pod: onePod(rest) };
      if (values.node !== undefined) noExtra(verb, rest);
      if (command.length === 0) throw new ClusterUsageError('exec needs a command after --');
      const netns = targetNetns(spec, target);
      requireRoot(verb);
      return await execIn(netns, command);
    }
    case 'emit-yaml': {
      noExtra(verb, rest);
      io.stdout.write(emitYaml(await loadClusterSpec(requireFile(verb, values.file))));
      return ExitCode.Ok;
    }
    default:
      throw new ClusterUsageError(`unknown command ${JSON.stringify(verb)}: use up, down, exec or emit-yaml`);
  }
}

/** Runs `command` in the namespace with this terminal, passing on its exit code and the signals that stop us. */
function execIn(netns: string, command: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', netns, ...command], { stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    const done = (): void => void process.off('SIGINT', forward).off('SIGTERM', forward);
    child.once('error', (error) => {
      done();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      done();
      resolve(code ?? (signal === null ? ExitCode.Failed : 128 + signalNumber(signal)));
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal as string] ?? 1;
}

function describeCluster(spec: ClusterSpec): string {
  const lines = [`cluster ${spec.name} is up: ${spec.nodes.length} nodes, ${spec.pods.length} pods`];
  for (const node of spec.nodes) lines.push(`  node ${node.name}  ${node.ip}  netns ${nodeNetns(spec, node)}`);
  for (const pod of spec.pods) lines.push(`  pod  ${pod.namespace}/${pod.name}  ${pod.ip}  on ${pod.node}  netns ${podNetns(spec, pod)}`);
  return `${lines.join('\n')}\n`;
}

function requireFile(verb: string, file: string | undefined): string {
  if (file === undefined) throw new ClusterUsageError(`${verb} needs -f <cluster.yaml>`);
  return file;
}

function onePod(rest: readonly string[]): string {
  if (rest.length !== 1) throw new ClusterUsageError('exec needs one pod (<pod> or <namespace>/<pod>) or --node <node>, then -- <command>');
  return rest[0]!;
}

function noExtra(verb: string, rest: readonly string[]): void {
  if (rest.length > 0) throw new ClusterUsageError(`${verb} takes no argument ${JSON.stringify(rest[0])}`);
}
