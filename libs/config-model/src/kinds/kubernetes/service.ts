import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { checkDns1035Label, checkDns1123Label, checkDns1123Subdomain, cidrFamily, ipFamily } from '../../schema/names.js';
import { obj, report, reportDuplicates } from '../../schema/object.js';
import { ipAddress, labelMap, port, qualifiedName } from '../../schema/primitives.js';
import { defineKind } from '../define-kind.js';
import { checkNonSpecialIp, checkPortName } from './checks.js';
import { PROTOCOLS, checkDualStack, checkIstioLabels, metaCondition, protocol } from './common.js';

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
export const IP_FAMILIES = ['IPv4', 'IPv6'] as const;

/**
 * A port number or IANA_SVC_NAME, as a Service's targetPort takes it. 0 and "" mean
 * "the same as port" (the API server's default).
 */
export const intOrPortName = () =>
  z.union([z.int(), z.string()]).superRefine((value, ctx) => {
    if (typeof value === 'number') {
      if (value !== 0 && (value < 1 || value > 65535)) report(ctx, IssueCode.Value, `must be a port number from 1 to 65535, got ${value}`);
      return;
    }
    if (value === '') return;
    const err = checkPortName(value);
    if (err !== undefined) {
      const hint = /^\d+$/.test(value) ? `write the number without quotes: ${value}` : 'a named port is 1-15 lower case letters, digits or "-", with at least one letter';
      report(ctx, IssueCode.Value, err, { hint });
    }
  });

const servicePort = () =>
  obj({
    name: z.string().optional(),
    protocol: protocol(),
    appProtocol: qualifiedName().optional(),
    port: port(),
    targetPort: intOrPortName().optional(),
    nodePort: z.int().min(0).max(65535).optional(),
  }).transform((p) => {
    // The API server defaults an unset (or zero) targetPort to port.
    const { targetPort, ...rest } = p;
    return { ...rest, targetPort: targetPort === undefined || targetPort === 0 || targetPort === '' ? p.port : targetPort };
  });

const sessionAffinityConfig = () =>
  obj({
    clientIP: obj({ timeoutSeconds: z.int().min(1).max(86400).optional() }).optional(),
  });

const serviceSpec = () =>
  obj({
    ports: z.array(servicePort()).optional(),
    selector: labelMap().optional(),
    clusterIP: z.string().optional(),
    clusterIPs: z.array(z.string()).optional(),
    type: z.enum(SERVICE_TYPES).default('ClusterIP'),
    externalIPs: z.array(ipAddress()).optional(),
    sessionAffinity: z.enum(['ClientIP', 'None']).default('None'),
    loadBalancerIP: z.string().optional(),
    loadBalancerSourceRanges: z.array(z.string()).optional(),
    externalName: z.string().optional(),
    externalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
    healthCheckNodePort: z.int().min(0).max(65535).optional(),
    publishNotReadyAddresses: z.boolean().optional(),
    sessionAffinityConfig: sessionAffinityConfig().optional(),
    ipFamilies: z.array(z.enum(IP_FAMILIES)).optional(),
    ipFamilyPolicy: z.enum(['SingleStack', 'PreferDualStack', 'RequireDualStack']).optional(),
    allocateLoadBalancerNodePorts: z.boolean().optional(),
    loadBalancerClass: qualifiedName().optional(),
    internalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
    trafficDistribution: z.enum(['PreferClose', 'PreferSameZone', 'PreferSameNode']).optional(),
  }).superRefine((spec, ctx) => {
    checkPorts(spec, ctx);
    checkClusterIPs(spec, ctx);
    checkTypeSpecificFields(spec, ctx);
  });

type ServiceSpecInput = z.output<ReturnType<typeof serviceSpec>>;

function isHeadless(spec: Pick<ServiceSpecInput, 'clusterIP' | 'clusterIPs'>): boolean {
  return spec.clusterIP === 'None' || spec.clusterIPs?.[0] === 'None';
}

function checkPorts(spec: ServiceSpecInput, ctx: z.RefinementCtx): void {
  const ports = spec.ports ?? [];
  if (ports.length === 0 && spec.type !== 'ExternalName' && !isHeadless(spec)) {
    report(ctx, IssueCode.Required, 'ports: a Service needs at least one port', {
      path: spec.ports === undefined ? [] : ['ports'],
      hint: 'only headless (clusterIP: None) and ExternalName Services may have no ports',
    });
  }
  ports.forEach((p, i) => {
    if (p.name === undefined || p.name === '') {
      if (ports.length > 1) {
        report(ctx, IssueCode.Required, 'ports[].name is required when a Service has more than one port', { path: ['ports', i] });
      }
    } else {
      const err = checkDns1123Label(p.name);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['ports', i, 'name'] });
    }
    if (spec.type === 'ClusterIP' && p.nodePort !== undefined && p.nodePort !== 0) {
      report(ctx, IssueCode.Conflict, "nodePort may not be used when type is 'ClusterIP'", { path: ['ports', i, 'nodePort'], hint: 'use type: NodePort or LoadBalancer' });
    }
  });
  reportDuplicates(ctx, ports, (p) => (p.name === undefined || p.name === '' ? undefined : p.name), {
    path: (i) => ['ports', i, 'name'],
    message: (k, first) => `duplicate port name "${k}" (first used at ${first})`,
  });
  reportDuplicates(ctx, ports, (p) => `${p.port}/${p.protocol}`, {
    path: (i) => ['ports', i, 'port'],
    message: (k, first) => `duplicate port ${k} (first used at ${first})`,
  });
  reportDuplicates(ctx, ports, (p) => (p.nodePort === undefined || p.nodePort === 0 ? undefined : `${p.nodePort}/${p.protocol}`), {
    path: (i) => ['ports', i, 'nodePort'],
    message: (k, first) => `duplicate nodePort ${k} (first used at ${first})`,
  });
}

function checkClusterIPs(spec: ServiceSpecInput, ctx: z.RefinementCtx): void {
  const { clusterIP } = spec;
  if (clusterIP !== undefined && clusterIP !== '' && clusterIP !== 'None' && ipFamily(clusterIP) === 0) {
    report(ctx, IssueCode.Value, `"${clusterIP}" must be an IP address, "None" or ""`, { path: ['clusterIP'] });
  }
  const ips = spec.clusterIPs ?? [];
  ips.forEach((value, i) => {
    if (value === 'None') {
      if (i > 0 || ips.length > 1) report(ctx, IssueCode.Value, '"None" must be the only entry of clusterIPs', { path: ['clusterIPs', i] });
    } else if (ipFamily(value) === 0) {
      report(ctx, IssueCode.Value, `"${value}" must be an IP address or "None"`, { path: ['clusterIPs', i] });
    }
  });
  if (!ips.includes('None')) checkDualStack(ctx, ips.map(ipFamily), (i) => ['clusterIPs', i], 'clusterIPs');
  if (clusterIP !== undefined && clusterIP !== '' && ips.length > 0 && ips[0] !== clusterIP) {
    report(ctx, IssueCode.Conflict, `clusterIPs[0] must equal clusterIP ("${clusterIP}")`, { path: ['clusterIPs', 0] });
  }
  const families = spec.ipFamilies ?? [];
  if (families.length > 2) report(ctx, IssueCode.Value, 'may have at most 2 ipFamilies', { path: ['ipFamilies', 2] });
  reportDuplicates(ctx, families, (f) => f, { path: (i) => ['ipFamilies', i], message: (k, first) => `duplicate IP family ${k} (first used at ${first})` });
  families.forEach((family, i) => {
    const value = ips[i];
    if (value === undefined || value === 'None') return;
    const actual = ipFamily(value);
    if (actual !== 0 && `IPv${actual}` !== family) {
      report(ctx, IssueCode.Conflict, `"${value}" is not an ${family} address, as ipFamilies[${i}] says`, { path: ['clusterIPs', i] });
    }
  });
  if (spec.ipFamilyPolicy === 'SingleStack') {
    if (families.length > 1) {
      report(ctx, IssueCode.Conflict, 'ipFamilyPolicy must be PreferDualStack or RequireDualStack when two ipFamilies are given', { path: ['ipFamilyPolicy'] });
    } else if (ips.length > 1) {
      report(ctx, IssueCode.Conflict, 'ipFamilyPolicy must be PreferDualStack or RequireDualStack when two clusterIPs are given', { path: ['ipFamilyPolicy'] });
    }
  }
}

function checkTypeSpecificFields(spec: ServiceSpecInput, ctx: z.RefinementCtx): void {
  const type = spec.type;
  const notFor = (field: keyof ServiceSpecInput, message: string, hint?: string): void => {
    report(ctx, IssueCode.Conflict, message, { path: [field], hint });
  };
  if (type === 'ExternalName') {
    if (spec.externalName === undefined || spec.externalName === '') {
      report(ctx, IssueCode.Required, 'externalName is required when type is ExternalName', { path: spec.externalName === undefined ? [] : ['externalName'] });
    } else {
      const name = spec.externalName.endsWith('.') ? spec.externalName.slice(0, -1) : spec.externalName;
      const err = checkDns1123Subdomain(name);
      if (err !== undefined) report(ctx, IssueCode.Value, `externalName must be a lower case DNS name: ${err}`, { path: ['externalName'] });
    }
    if (spec.clusterIP !== undefined && spec.clusterIP !== '') notFor('clusterIP', 'clusterIP may not be set for ExternalName services');
    else if ((spec.clusterIPs ?? []).length > 0) notFor('clusterIPs', 'clusterIPs may not be set for ExternalName services');
    if ((spec.ipFamilies ?? []).length > 0) notFor('ipFamilies', 'ipFamilies may not be set for ExternalName services');
    if (spec.ipFamilyPolicy !== undefined) notFor('ipFamilyPolicy', 'ipFamilyPolicy may not be set for ExternalName services');
  }
  const externallyAccessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);
  if (!externallyAccessible && spec.externalTrafficPolicy !== undefined) {
    notFor('externalTrafficPolicy', 'externalTrafficPolicy may only be set for externally-accessible services', 'use type NodePort or LoadBalancer, or set externalIPs');
  }
  if (spec.healthCheckNodePort !== undefined && spec.healthCheckNodePort !== 0 && !(type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local')) {
    notFor('healthCheckNodePort', "healthCheckNodePort may only be set when type is 'LoadBalancer' and externalTrafficPolicy is 'Local'");
  }
  if (type !== 'LoadBalancer') {
    if ((spec.loadBalancerSourceRanges ?? []).length > 0) notFor('loadBalancerSourceRanges', "loadBalancerSourceRanges may only be used when type is 'LoadBalancer'");
    if (spec.loadBalancerClass !== undefined) notFor('loadBalancerClass', "loadBalancerClass may only be used when type is 'LoadBalancer'");
    if (spec.allocateLoadBalancerNodePorts !== undefined) notFor('allocateLoadBalancerNodePorts', "allocateLoadBalancerNodePorts may only be used when type is 'LoadBalancer'");
  }
  (spec.loadBalancerSourceRanges ?? []).forEach((range, i) => {
    const family = cidrFamily(range.trim());
    if (typeof family === 'string') report(ctx, IssueCode.Value, family, { path: ['loadBalancerSourceRanges', i] });
  });
  (spec.externalIPs ?? []).forEach((value, i) => {
    const err = ipFamily(value) === 0 ? undefined : checkNonSpecialIp(value);
    if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['externalIPs', i] });
  });
  if (spec.sessionAffinityConfig !== undefined && spec.sessionAffinity !== 'ClientIP') {
    notFor('sessionAffinityConfig', 'sessionAffinityConfig may only be set when sessionAffinity is ClientIP');
  }
}

const portStatus = () =>
  obj({
    port: z.int(),
    protocol: z.enum(PROTOCOLS),
    error: z.string().max(316).optional(),
  });

const loadBalancerIngress = () =>
  obj({
    ip: ipAddress().optional(),
    hostname: z.string().optional(),
    ipMode: z.enum(['VIP', 'Proxy']).optional(),
    ports: z.array(portStatus()).optional(),
  });

const serviceStatus = () =>
  obj({
    loadBalancer: obj({ ingress: z.array(loadBalancerIngress()).optional() }).optional(),
    conditions: z.array(metaCondition()).optional(),
  });

/**
 * core/v1 Service. The mesh reads its selector, ports (name, port, targetPort,
 * protocol, appProtocol), cluster IPs, type and externalName, and its
 * `istio.io/use-waypoint` label. Defaults applied as the API server does: type
 * ClusterIP, protocol TCP, targetPort = port, sessionAffinity None.
 */
export const service = defineKind({
  group: '',
  kind: 'Service',
  versions: ['v1'],
  namespaced: true,
  nameFormat: 'dns1123-label',
  body: {
    spec: serviceSpec(),
    status: serviceStatus().optional(),
  },
  refine: (svc, ctx) => {
    const err = checkDns1035Label(svc.metadata.name);
    if (err !== undefined) {
      report(ctx, IssueCode.Value, err, { path: ['metadata', 'name'], hint: 'Service names are DNS-1035 labels: they must start with a letter' });
    }
    checkIstioLabels(ctx, svc.metadata.labels, { useWaypoint: true });
  },
});
