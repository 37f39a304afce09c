import { isIPv4 } from 'node:net';
import type { NodeResource, PodResource, Resource, ServiceResource } from '@ambit/config-model';
import { singleAddress } from './ip.js';

/**
 * Where local mode puts what the YAML leaves without an address, inside loopback
 * (127.0.0.0/8) so that one machine serves them all without root. Service VIPs take
 * Kubernetes' service CIDR shape (10.96.0.0/12) moved to loopback; nodes a /16 of their own.
 */
export const LOCAL_ADDRESS_RANGES = Object.freeze({
  services: '127.96.0.0/12',
  nodes: '127.254.0.0/16',
});

export interface LocalAddressRanges {
  readonly services: string;
  readonly nodes: string;
}

/** A node of the local mesh: declared by a Node resource, or named by a pod's `spec.nodeName`. */
export interface LocalNode {
  readonly name: string;
  /** The node's InternalIP as declared (the first one), or the one assigned. */
  readonly address: string;
  /** Whether `address` was assigned here (the node is undeclared, or declares no InternalIP). */
  readonly assigned: boolean;
  /** Whether a Node resource declares it. */
  readonly declared: boolean;
}

export interface LocalAddresses {
  /** The input, in order; each Service given a VIP is a new object with `spec.clusterIP(s)` set, the rest are the same objects. */
  readonly resources: readonly Resource[];
  /** Every node, by name. */
  readonly nodes: readonly LocalNode[];
  /** The VIPs assigned, by Service `namespace/name`. */
  readonly vips: ReadonlyMap<string, string>;
}

/**
 * Local mode's address assignment, the one place it happens: the control plane's file
 * provider publishes what this returns, and `ambitctl local up` prints the same, so
 * both agree. A Service without a cluster IP gets a VIP and a node without an
 * InternalIP gets an address, each derived from its name (a hash into the range, then
 * the next free address on a collision), so that they survive restarts and reloads.
 * Assignment goes in name order and skips every address the resources already use
 * (pods, nodes, cluster IPs, WorkloadEntry and ServiceEntry addresses), so no two
 * things share one. Headless Services (`clusterIP: None`) and ExternalName Services
 * stay as they are. A range too full to take one more leaves the rest unassigned.
 */
export function assignLocalAddresses(resources: readonly Resource[], ranges: LocalAddressRanges = LOCAL_ADDRESS_RANGES): LocalAddresses {
  const inUse = addressesInUse(resources);
  const nodes = assignNodes(resources, inUse, parseRange(ranges.nodes));
  const servicesRange = parseRange(ranges.services);
  const vips = new Map<string, string>();
  const needy = resources
    .filter((r): r is ServiceResource => r.kind === 'Service' && needsVip(r))
    .map(serviceKey)
    .sort(compare);
  for (const key of needy) {
    const vip = pick(key, servicesRange, inUse);
    if (vip === undefined) break;
    vips.set(key, vip);
  }
  return {
    resources: resources.map((r) => {
      const vip = r.kind === 'Service' ? vips.get(serviceKey(r)) : undefined;
      return vip === undefined || r.kind !== 'Service' ? r : { ...r, spec: { ...r.spec, clusterIP: vip, clusterIPs: [vip] } };
    }),
    nodes,
    vips,
  };
}

function serviceKey(service: ServiceResource): string {
  return `${service.metadata.namespace}/${service.metadata.name}`;
}

function needsVip(service: ServiceResource): boolean {
  const { spec } = service;
  if (spec.type === 'ExternalName') return false;
  return (spec.clusterIP === undefined || spec.clusterIP === '') && (spec.clusterIPs ?? []).length === 0;
}

/** The first InternalIP a Node declares. */
export function nodeInternalIp(node: NodeResource): string | undefined {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

function assignNodes(resources: readonly Resource[], inUse: Set<string>, range: Range): LocalNode[] {
  const declared = new Map<string, string | undefined>();
  const named = new Set<string>();
  for (const r of resources) {
    if (r.kind === 'Node' && !declared.has(r.metadata.name)) declared.set(r.metadata.name, nodeInternalIp(r));
    else if (r.kind === 'Pod' && r.spec.nodeName !== undefined && r.spec.nodeName !== '') named.add(r.spec.nodeName);
  }
  const names = [...new Set([...declared.keys(), ...named])].sort(compare);
  const nodes: LocalNode[] = [];
  for (const name of names) {
    const address = declared.get(name);
    if (address !== undefined) {
      nodes.push({ name, address, assigned: false, declared: true });
      continue;
    }
    const picked = pick(name, range, inUse);
    if (picked !== undefined) nodes.push({ name, address: picked, assigned: true, declared: declared.has(name) });
  }
  return nodes;
}

function addressesInUse(resources: readonly Resource[]): Set<string> {
  const used = new Set<string>(['127.0.0.1']);
  const add = (address: string | undefined): void => {
    const ip = address === undefined ? undefined : singleAddress(address);
    if (ip !== undefined) used.add(ip);
  };
  for (const r of resources) {
    switch (r.kind) {
      case 'Pod':
        podAddresses(r).forEach(add);
        break;
      case 'Node':
        (r.status?.addresses ?? []).forEach((a) => add(a.address));
        break;
      case 'Service':
        [r.spec.clusterIP, ...(r.spec.clusterIPs ?? []), ...(r.spec.externalIPs ?? [])].forEach(add);
        break;
      case 'WorkloadEntry':
        add(r.spec.address);
        break;
      case 'ServiceEntry': {
        const spec = r.spec;
        [...(spec.addresses ?? []), ...(spec.endpoints ?? []).map((e) => e.address)].forEach(add);
        break;
      }
      default:
        break;
    }
  }
  return used;
}

/** A pod's IPs: `status.podIPs`, else `status.podIP`. */
export function podAddresses(pod: PodResource): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip);
  if (ips.length > 0) return ips;
  return pod.status?.podIP === undefined ? [] : [pod.status.podIP];
}

/** An IPv4 range as 32-bit numbers. */
interface Range {
  readonly first: number;
  readonly size: number;
}

function parseRange(cidr: string): Range {
  const [ip = '', bits = ''] = cidr.split('/');
  const length = Number(bits);
  if (!isIPv4(ip) || !/^\d+$/.test(bits) || length < 8 || length > 30) throw new RangeError(`${cidr} is not an IPv4 CIDR from /8 to /30`);
  const size = 2 ** (32 - length);
  return { first: toNumber(ip) - (toNumber(ip) % size), size };
}

/**
 * The address for `key`: its hash's place in the range, or the next one after it that
 * is free and usable (not ending in .0 or .255, which tools read as network and
 * broadcast addresses). Marks it used; undefined when the range has none left.
 */
function pick(key: string, range: Range, inUse: Set<string>): string | undefined {
  const start = fnv1a(key) % range.size;
  for (let step = 0; step < range.size; step++) {
    const value = range.first + ((start + step) % range.size);
    const last = value % 256;
    if (last === 0 || last === 255) continue;
    const address = toAddress(value);
    if (inUse.has(address)) continue;
    inUse.add(address);
    return address;
  }
  return undefined;
}

/** 32-bit FNV-1a of the UTF-16 code units: cheap, stable across versions and platforms, and spread well enough for placing names. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function toNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function toAddress(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
