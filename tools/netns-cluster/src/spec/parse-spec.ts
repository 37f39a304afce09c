import { isScalar, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { ClusterSpecError } from '../errors.js';
import type { ClusterSpec, NamespaceSpec, NodeSpec, PodSpec, ServicePortSpec, ServiceSpec } from './cluster-spec.js';
import type { Cidr } from './ipv4.js';
import { contains, formatCidr, formatIpv4, isHostAddress, nthAddress, overlaps, parseCidr, parseIpv4, size } from './ipv4.js';

/**
 * Reads a cluster description (YAML) into a ClusterSpec. The first problem found is
 * thrown as a ClusterSpecError naming the file, line, column and field
 * (`cluster.yaml:7:13 nodes[1].podCIDR: overlaps nodes[0].podCIDR`). Unknown fields
 * are errors, so a typo never silently changes the cluster.
 */

type Path = readonly (string | number)[];
type Labels = Record<string, string>;

/** Longest cluster name: it is part of every namespace name; no "-", so one cluster's prefix never matches another's. */
const CLUSTER_NAME = /^[a-z0-9]{1,10}$/;
/** A Kubernetes DNS-1123 label: node, namespace, pod and service names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const MAX_TEXT_BYTES = 1024 * 1024;
const DEFAULT_NAMESPACE = 'default';
const DEFAULT_SERVICE_ACCOUNT = 'default';

export function parseClusterSpec(text: string, file: string): ClusterSpec {
  if (text.length > MAX_TEXT_BYTES) throw new ClusterSpecError(file, '', `is larger than ${MAX_TEXT_BYTES} bytes`);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const at = syntax.linePos?.[0];
    throw new ClusterSpecError(at === undefined ? file : `${file}:${at.line}:${at.col}`, '', syntax.message.split('\n')[0]!);
  }
  return new SpecReader(doc, lines, file).read();
}

class SpecReader {
  readonly #doc: Document;
  readonly #lines: LineCounter;
  readonly #file: string;

  constructor(doc: Document, lines: LineCounter, file: string) {
    this.#doc = doc;
    this.#lines = lines;
    this.#file = file;
  }

  read(): ClusterSpec {
    const root = this.#object(this.#doc.toJS({ maxAliasCount: 100 }), [], ['name', 'network', 'serviceCIDR', 'nodes', 'namespaces', 'pods', 'services']);
    const name = this.#string(root.name, ['name']);
    if (!CLUSTER_NAME.test(name)) this.#fail(['name'], `${JSON.stringify(name)} must be 1-10 lowercase letters or digits`, 'it prefixes every namespace the tool creates (amb-<name>-…)');
    const network = this.#cidr(root.network, ['network']);
    const serviceCIDR = root.serviceCIDR === undefined ? undefined : this.#cidr(root.serviceCIDR, ['serviceCIDR']);
    const nodes = this.#nodes(root.nodes, network, serviceCIDR);
    const pods = this.#pods(root.pods, nodes);
    const services = this.#services(root.services, serviceCIDR);
    const namespaces = this.#namespaces(root.namespaces, [...pods, ...services].map((r) => r.namespace));
    return { name, network, serviceCIDR, nodes, namespaces, pods, services };
  }

  #nodes(value: unknown, network: Cidr, serviceCIDR: Cidr | undefined): NodeSpec[] {
    const list = this.#list(value, ['nodes'], true);
    const nodes: NodeSpec[] = [];
    list.forEach((item, i) => {
      const path = ['nodes', i];
      const raw = this.#object(item, path, ['name', 'ip', 'podCIDR']);
      const name = this.#label(raw.name, [...path, 'name']);
      const ip = this.#ip(raw.ip, [...path, 'ip']);
      if (!isHostAddress(network, ip)) this.#fail([...path, 'ip'], `${formatIpv4(ip)} is not a host address of network ${formatCidr(network)}`);
      const podCIDR = this.#cidr(raw.podCIDR, [...path, 'podCIDR']);
      if (podCIDR.prefix > 30) this.#fail([...path, 'podCIDR'], `${formatCidr(podCIDR)} is too small: a pod CIDR needs a /30 or larger`);
      if (overlaps(podCIDR, network)) this.#fail([...path, 'podCIDR'], `${formatCidr(podCIDR)} overlaps network ${formatCidr(network)}`);
      if (serviceCIDR !== undefined && overlaps(podCIDR, serviceCIDR)) this.#fail([...path, 'podCIDR'], `${formatCidr(podCIDR)} overlaps serviceCIDR ${formatCidr(serviceCIDR)}`);
      nodes.forEach((other, j) => {
        if (other.name === name) this.#fail([...path, 'name'], `duplicate node name ${JSON.stringify(name)} (also nodes[${j}])`);
        if (other.ip === formatIpv4(ip)) this.#fail([...path, 'ip'], `${formatIpv4(ip)} is also the ip of nodes[${j}]`);
        if (overlaps(other.podCIDR, podCIDR)) this.#fail([...path, 'podCIDR'], `${formatCidr(podCIDR)} overlaps nodes[${j}].podCIDR ${formatCidr(other.podCIDR)}`);
      });
      nodes.push({ name, ip: formatIpv4(ip), podCIDR, gateway: formatIpv4(nthAddress(podCIDR, 1)) });
    });
    if (serviceCIDR !== undefined && overlaps(serviceCIDR, network)) this.#fail(['serviceCIDR'], `${formatCidr(serviceCIDR)} overlaps network ${formatCidr(network)}`);
    return nodes;
  }

  #pods(value: unknown, nodes: readonly NodeSpec[]): PodSpec[] {
    const list = value === undefined ? [] : this.#list(value, ['pods'], false);
    const raws = list.map((item, i) => {
      const path = ['pods', i];
      const raw = this.#object(item, path, ['name', 'namespace', 'node', 'ip', 'serviceAccount', 'labels', 'ports']);
      const name = this.#label(raw.name, [...path, 'name']);
      const namespace = raw.namespace === undefined ? DEFAULT_NAMESPACE : this.#label(raw.namespace, [...path, 'namespace']);
      const nodeName = this.#string(raw.node, [...path, 'node']);
      const node = nodes.find((n) => n.name === nodeName) ?? this.#fail([...path, 'node'], `no node named ${JSON.stringify(nodeName)}`, `nodes are ${nodes.map((n) => n.name).join(', ')}`);
      const ip = raw.ip === undefined ? undefined : this.#ip(raw.ip, [...path, 'ip']);
      if (ip !== undefined && (!isHostAddress(node.podCIDR, ip) || formatIpv4(ip) === node.gateway)) {
        this.#fail([...path, 'ip'], `${formatIpv4(ip)} is not a pod address of node ${node.name}'s podCIDR ${formatCidr(node.podCIDR)} (${node.gateway} is its gateway)`);
      }
      const serviceAccount = raw.serviceAccount === undefined ? DEFAULT_SERVICE_ACCOUNT : this.#label(raw.serviceAccount, [...path, 'serviceAccount']);
      const labels = this.#labels(raw.labels, [...path, 'labels']);
      const ports = raw.ports === undefined ? [] : this.#list(raw.ports, [...path, 'ports'], false).map((p, j) => this.#port(p, [...path, 'ports', j]));
      return { path, name, namespace, node, ip, serviceAccount, labels, ports };
    });
    raws.forEach((pod, i) => {
      const j = raws.findIndex((other) => other.name === pod.name && other.namespace === pod.namespace);
      if (j !== i) this.#fail([...pod.path, 'name'], `duplicate pod ${pod.namespace}/${pod.name} (also pods[${j}])`);
      const k = raws.findIndex((other) => other.ip !== undefined && other.ip === pod.ip);
      if (pod.ip !== undefined && k !== i) this.#fail([...pod.path, 'ip'], `${formatIpv4(pod.ip)} is also the ip of pods[${k}]`);
    });
    const taken = new Set(raws.flatMap((p) => (p.ip === undefined ? [] : [p.ip])));
    return raws.map(({ path, node, ip, ...pod }) => ({ ...pod, node: node.name, ip: formatIpv4(ip ?? this.#allocate(node.podCIDR, 2, taken, [...path, 'ip'])) }));
  }

  #services(value: unknown, serviceCIDR: Cidr | undefined): ServiceSpec[] {
    const list = value === undefined ? [] : this.#list(value, ['services'], false);
    const raws = list.map((item, i) => {
      const path = ['services', i];
      const raw = this.#object(item, path, ['name', 'namespace', 'clusterIP', 'selector', 'ports']);
      const name = this.#label(raw.name, [...path, 'name']);
      const namespace = raw.namespace === undefined ? DEFAULT_NAMESPACE : this.#label(raw.namespace, [...path, 'namespace']);
      const clusterIP = raw.clusterIP === undefined ? undefined : this.#ip(raw.clusterIP, [...path, 'clusterIP']);
      if (clusterIP !== undefined && serviceCIDR !== undefined && !contains(serviceCIDR, clusterIP)) {
        this.#fail([...path, 'clusterIP'], `${formatIpv4(clusterIP)} is outside serviceCIDR ${formatCidr(serviceCIDR)}`);
      }
      const selector = this.#labels(raw.selector, [...path, 'selector']);
      const ports = this.#list(raw.ports, [...path, 'ports'], true).map((p, j) => this.#servicePort(p, [...path, 'ports', j]));
      return { path, name, namespace, clusterIP, selector, ports };
    });
    raws.forEach((service, i) => {
      const j = raws.findIndex((other) => other.name === service.name && other.namespace === service.namespace);
      if (j !== i) this.#fail([...service.path, 'name'], `duplicate service ${service.namespace}/${service.name} (also services[${j}])`);
      const k = raws.findIndex((other) => other.clusterIP !== undefined && other.clusterIP === service.clusterIP);
      if (service.clusterIP !== undefined && k !== i) this.#fail([...service.path, 'clusterIP'], `${formatIpv4(service.clusterIP)} is also the clusterIP of services[${k}]`);
    });
    const taken = new Set(raws.flatMap((s) => (s.clusterIP === undefined ? [] : [s.clusterIP])));
    return raws.map(({ path, clusterIP, ...service }) => {
      const ip = clusterIP ?? (serviceCIDR === undefined ? undefined : this.#allocate(serviceCIDR, 1, taken, [...path, 'clusterIP']));
      return { ...service, clusterIP: ip === undefined ? undefined : formatIpv4(ip) };
    });
  }

  #servicePort(value: unknown, path: Path): ServicePortSpec {
    const raw = this.#object(value, path, ['name', 'port', 'targetPort']);
    const port = this.#port(raw.port, [...path, 'port']);
    return {
      name: raw.name === undefined ? undefined : this.#label(raw.name, [...path, 'name']),
      port,
      targetPort: raw.targetPort === undefined ? port : this.#port(raw.targetPort, [...path, 'targetPort']),
    };
  }

  #namespaces(value: unknown, used: readonly string[]): NamespaceSpec[] {
    const list = value === undefined ? [] : this.#list(value, ['namespaces'], false);
    const declared = new Map<string, NamespaceSpec>();
    list.forEach((item, i) => {
      const path = ['namespaces', i];
      const raw = this.#object(item, path, ['name', 'labels']);
      const name = this.#label(raw.name, [...path, 'name']);
      if (declared.has(name)) this.#fail([...path, 'name'], `duplicate namespace ${JSON.stringify(name)}`);
      declared.set(name, { name, labels: this.#labels(raw.labels, [...path, 'labels']) });
    });
    for (const name of used) if (!declared.has(name)) declared.set(name, { name, labels: {} });
    return [...declared.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The lowest free address of `cidr` from its `first`th, marked taken. */
  #allocate(cidr: Cidr, first: number, taken: Set<number>, path: Path): number {
    for (let n = first; n < size(cidr) - 1; n++) {
      const ip = nthAddress(cidr, n);
      if (!taken.has(ip)) {
        taken.add(ip);
        return ip;
      }
    }
    return this.#fail(path, `no free address left in ${formatCidr(cidr)}`);
  }

  #object(value: unknown, path: Path, fields: readonly string[] | 'any'): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.#fail(path, 'must be a mapping');
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (fields !== 'any' && !fields.includes(key)) this.#fail([...path, key], 'is not a field here', `the fields are ${(fields as readonly string[]).join(', ')}`);
    }
    return record;
  }

  #list(value: unknown, path: Path, nonEmpty: boolean): unknown[] {
    if (value === undefined || value === null) this.#fail(path, 'is required');
    if (!Array.isArray(value)) this.#fail(path, 'must be a list');
    if (nonEmpty && value.length === 0) this.#fail(path, 'must not be empty');
    return value;
  }

  #string(value: unknown, path: Path): string {
    if (value === undefined || value === null) this.#fail(path, 'is required');
    if (typeof value !== 'string') this.#fail(path, `must be a string, not ${JSON.stringify(value)}`);
    return value;
  }

  #label(value: unknown, path: Path): string {
    const text = this.#string(value, path);
    if (!DNS_LABEL.test(text)) this.#fail(path, `${JSON.stringify(text)} is not a DNS label (lowercase letters, digits and "-", at most 63)`);
    return text;
  }

  #labels(value: unknown, path: Path): Labels {
    if (value === undefined) return {};
    const record = this.#object(value, path, 'any');
    const labels: Labels = {};
    for (const [key, v] of Object.entries(record)) labels[key] = this.#string(v, [...path, key]);
    return labels;
  }

  #ip(value: unknown, path: Path): number {
    const text = this.#string(value, path);
    return parseIpv4(text) ?? this.#fail(path, `${JSON.stringify(text)} is not an IPv4 address`);
  }

  #cidr(value: unknown, path: Path): Cidr {
    const text = this.#string(value, path);
    const cidr = parseCidr(text);
    if (typeof cidr === 'string') this.#fail(path, `${JSON.stringify(text)} ${cidr}`);
    return cidr;
  }

  #port(value: unknown, path: Path): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65_535) this.#fail(path, `${JSON.stringify(value)} must be a port number (1-65535)`);
    return value;
  }

  #fail(path: Path, message: string, hint?: string): never {
    throw new ClusterSpecError(this.#where(path), formatPath(path), message, hint);
  }

  /** file:line:col of the deepest node on `path` that exists in the document. */
  #where(path: Path): string {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.#doc.getIn(path.slice(0, depth), true);
      const offset = isScalar(node) || (typeof node === 'object' && node !== null && 'range' in node) ? (node as { range?: [number] }).range?.[0] : undefined;
      if (offset !== undefined) {
        const { line, col } = this.#lines.linePos(offset);
        return `${this.#file}:${line}:${col}`;
      }
    }
    return this.#file;
  }
}

function formatPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
