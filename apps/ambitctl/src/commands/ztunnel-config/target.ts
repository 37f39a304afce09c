import { InvalidArgumentError } from 'commander';
import { isAlive, readState } from '../local/index.js';
import { ZtunnelTargetError } from './errors.js';

/** Which ztunnel to ask: its admin address, and the node it runs for when known. */
export interface ZtunnelTarget {
  readonly admin: string;
  readonly node?: string;
}

export interface TargetOptions {
  /** `--address host:port`: the admin endpoint itself. */
  readonly address?: string;
  /** `--node NAME`: a node of the local mesh. */
  readonly node?: string;
  /** Where `ambitctl local up` keeps local.json. */
  readonly stateDir: string;
}

const ADDRESS_HINT = 'or give --address <host:port> of a ztunnel admin endpoint';

/**
 * --address as given; otherwise the node's admin address from the local mesh running on
 * the state directory (`--node`, or its only node). Anything else is a usage error that
 * lists what there is to choose from.
 */
export async function resolveTarget(options: TargetOptions): Promise<ZtunnelTarget> {
  if (options.address !== undefined) return { admin: options.address };
  const state = await readState(options.stateDir);
  if (state === undefined || !isAlive(state.pid)) {
    throw new ZtunnelTargetError(`no local mesh runs on ${options.stateDir}, so there is no node to ask`, `start one with \`ambitctl local up -f <dir>\` (and point --state-dir at it), ${ADDRESS_HINT}`);
  }
  const names = state.nodes.map((n) => n.name);
  const nodes = names.length === 0 ? 'none' : names.join(', ');
  if (options.node !== undefined) {
    const node = state.nodes.find((n) => n.name === options.node);
    if (node === undefined) throw new ZtunnelTargetError(`the local mesh on ${options.stateDir} has no node "${options.node}" (its nodes: ${nodes})`, `choose one with --node, ${ADDRESS_HINT}`);
    return { admin: node.admin, node: node.name };
  }
  const only = state.nodes.length === 1 ? state.nodes[0] : undefined;
  if (only === undefined) throw new ZtunnelTargetError(`the local mesh on ${options.stateDir} has ${state.nodes.length} nodes (${nodes}): say which with --node NAME`, ADDRESS_HINT);
  return { admin: only.admin, node: only.name };
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** `host:port` (an IPv6 host in brackets) with a port from 1 to 65535 (commander option parser). */
export function adminAddress(value: string): string {
  const match = HOST_PORT.exec(value);
  const port = match === null ? 0 : Number(match[2]);
  if (!(port >= 1 && port <= 65535)) throw new InvalidArgumentError('expected host:port of a ztunnel admin endpoint, e.g. 127.0.1.1:15000');
  return value;
}
