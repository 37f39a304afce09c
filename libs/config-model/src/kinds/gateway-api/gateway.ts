import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { checkDns1123Subdomain, checkGatewayApiHostname, checkLabelValue, checkQualifiedName, isIpAddress } from '../../schema/names.js';
import { obj, report, reportDuplicates } from '../../schema/object.js';
import { apiGroup, checkedString, dns1123Label, kindName, nonEmpty, port } from '../../schema/primitives.js';
import { defineKind } from '../define-kind.js';
import { checkIstioLabels, labelSelector, metaCondition, pattern } from '../kubernetes/common.js';

/** Gateway API versions that serve Gateway; both share one schema. */
export const GATEWAY_API_VERSIONS = ['v1', 'v1beta1'] as const;

/** The GatewayClass of Istio's ambient waypoints and the port of their HBONE listener. */
export const ISTIO_WAYPOINT_CLASS = 'istio-waypoint';
export const HBONE_PORT = 15008;

const PROTOCOL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$/;
const ADDRESS_TYPE = /^Hostname|IPAddress|NamedAddress|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

const objectName = () => nonEmpty({ max: 253 });
const sectionName = () => checkedString((value) => (value.length === 0 ? 'must not be empty' : checkDns1123Subdomain(value)));

/** A map whose keys are label or annotation keys, with at most `max` entries. */
function keyedMap(value: z.ZodType<string>, max: number, what: string) {
  return z.record(z.string(), value).superRefine((map, ctx) => {
    const keys = Object.keys(map);
    if (keys.length > max) report(ctx, IssueCode.Value, `may have at most ${max} ${what}, got ${keys.length}`);
    for (const key of keys) {
      const err = checkQualifiedName(key);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: [key] });
    }
  });
}
const annotationValue = () => z.string().max(4096);
const labelValue = () => checkedString(checkLabelValue);

/** SecretObjectReference: a Secret unless group/kind say otherwise. */
const secretObjectReference = () =>
  obj({
    group: apiGroup().default(''),
    kind: kindName().default('Secret'),
    name: objectName(),
    namespace: dns1123Label().optional(),
  });

/** Gateway API ObjectReference: group and kind are required. */
const objectReference = () =>
  obj({
    group: apiGroup(),
    kind: kindName(),
    name: objectName(),
    namespace: dns1123Label().optional(),
  });

const frontendValidation = () =>
  obj({
    caCertificateRefs: z.array(objectReference()).min(1).max(8),
    mode: z.enum(['AllowValidOnly', 'AllowInsecureFallback']).default('AllowValidOnly'),
  });

const listenerTls = () =>
  obj({
    mode: z.enum(['Terminate', 'Passthrough']).default('Terminate'),
    certificateRefs: z.array(secretObjectReference()).max(64).optional(),
    options: keyedMap(annotationValue(), 16, 'options').optional(),
    /** Experimental channel up to v1.3; moved to spec.tls.frontend in v1.4. */
    frontendValidation: obj({ caCertificateRefs: z.array(objectReference()).min(1).max(8) }).optional(),
  }).superRefine((tls, ctx) => {
    if (tls.mode === 'Terminate' && (tls.certificateRefs ?? []).length === 0 && Object.keys(tls.options ?? {}).length === 0) {
      report(ctx, IssueCode.Required, 'certificateRefs or options must be specified when mode is Terminate', {
        path: tls.certificateRefs === undefined ? [] : ['certificateRefs'],
        hint: 'reference a kubernetes.io/tls Secret, or use mode: Passthrough',
      });
    }
  });

const routeGroupKind = () =>
  obj({
    group: apiGroup().default('gateway.networking.k8s.io'),
    kind: kindName(),
  });

const routeNamespaces = () =>
  obj({
    from: z.enum(['All', 'Selector', 'Same']).default('Same'),
    selector: labelSelector().optional(),
  }).superRefine((ns, ctx) => {
    if (ns.from === 'Selector' && ns.selector === undefined) {
      report(ctx, IssueCode.Required, 'selector is required when from is Selector');
    }
  });

const allowedRoutes = () =>
  obj({
    namespaces: routeNamespaces().default({ from: 'Same' }),
    kinds: z.array(routeGroupKind()).max(8).optional(),
  });

const listener = () =>
  obj({
    name: sectionName(),
    hostname: checkedString(checkGatewayApiHostname).optional(),
    port: port(),
    protocol: pattern(PROTOCOL, 'must be a protocol name (HTTP, HTTPS, TLS, TCP, UDP, HBONE) or a domain-prefixed name such as example.com/proto', 255),
    tls: listenerTls().optional(),
    allowedRoutes: allowedRoutes().default({ namespaces: { from: 'Same' } }),
  });

function is(protocol: string, ...names: string[]): boolean {
  return names.includes(protocol.toUpperCase());
}

function checkListeners(listeners: readonly z.output<ReturnType<typeof listener>>[], ctx: z.RefinementCtx): void {
  listeners.forEach((l, i) => {
    const at = (...rest: PropertyKey[]): PropertyKey[] => ['listeners', i, ...rest];
    if (l.tls !== undefined && is(l.protocol, 'HTTP', 'TCP', 'UDP')) {
      report(ctx, IssueCode.Conflict, `tls must not be specified for protocol ${l.protocol}`, { path: at('tls'), hint: 'use protocol HTTPS or TLS to terminate or pass through TLS' });
    }
    if (l.tls === undefined && is(l.protocol, 'HTTPS', 'TLS')) {
      report(ctx, IssueCode.Required, `tls is required for protocol ${l.protocol}`, { path: at(), hint: 'add tls.certificateRefs (HTTPS) or tls.mode: Passthrough (TLS)' });
    }
    if (l.tls !== undefined && is(l.protocol, 'HTTPS') && l.tls.mode !== 'Terminate') {
      report(ctx, IssueCode.Conflict, 'tls mode must be Terminate for protocol HTTPS', { path: at('tls', 'mode'), hint: 'use protocol TLS for Passthrough' });
    }
    if (l.hostname !== undefined && l.hostname !== '' && is(l.protocol, 'TCP', 'UDP')) {
      report(ctx, IssueCode.Conflict, `hostname must not be specified for protocol ${l.protocol}`, { path: at('hostname') });
    }
  });
  reportDuplicates(ctx, listeners, (l) => l.name, {
    path: (i) => ['listeners', i, 'name'],
    message: (k, first) => `listener name "${k}" must be unique within the Gateway (first used at ${first})`,
  });
  reportDuplicates(ctx, listeners, (l) => `${l.port}/${l.protocol}/${l.hostname ?? ''}`, {
    path: (i) => ['listeners', i],
    message: (k, first) => `the combination of port, protocol and hostname (${k}) must be unique for each listener (first used at ${first})`,
  });
}

const gatewayAddress = (valueRequired: boolean) =>
  obj({
    type: pattern(ADDRESS_TYPE, 'must be Hostname, IPAddress, NamedAddress or a domain-prefixed type', 253).default('IPAddress'),
    value: valueRequired ? nonEmpty({ max: 253 }) : z.string().max(253).optional(),
  }).superRefine((addr, ctx) => {
    if (addr.value === undefined || addr.value === '') return;
    if (addr.type === 'IPAddress' && !isIpAddress(addr.value)) {
      report(ctx, IssueCode.Value, `"${addr.value}" is not an IP address (type is IPAddress)`, { path: ['value'] });
    }
    if (addr.type === 'Hostname') {
      const err = checkGatewayApiHostname(addr.value);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['value'] });
    }
  });

const infrastructure = () =>
  obj({
    labels: keyedMap(labelValue(), 8, 'labels').optional(),
    annotations: keyedMap(annotationValue(), 16, 'annotations').optional(),
    parametersRef: obj({ group: apiGroup(), kind: kindName(), name: objectName() }).optional(),
  });

const frontendTlsConfig = () => obj({ validation: frontendValidation().optional() });

const gatewayTls = () =>
  obj({
    backend: obj({ clientCertificateRef: secretObjectReference().optional() }).optional(),
    frontend: obj({
      default: frontendTlsConfig(),
      perPort: z.array(obj({ port: port(), tls: frontendTlsConfig() })).max(64).optional(),
    })
      .superRefine((frontend, ctx) => {
        reportDuplicates(ctx, frontend.perPort ?? [], (p) => String(p.port), {
          path: (i) => ['perPort', i, 'port'],
          message: (k, first) => `port ${k} for TLS configuration must be unique within the Gateway (first used at ${first})`,
        });
      })
      .optional(),
  });

const gatewaySpec = () =>
  obj({
    gatewayClassName: objectName(),
    listeners: z.array(listener()).min(1).max(64),
    addresses: z.array(gatewayAddress(false)).max(16).optional(),
    infrastructure: infrastructure().optional(),
    allowedListeners: obj({
      namespaces: obj({
        from: z.enum(['All', 'Selector', 'Same', 'None']).default('None'),
        selector: labelSelector().optional(),
      }).optional(),
    }).optional(),
    tls: gatewayTls().optional(),
    /** Experimental channel v1.2-v1.3; replaced by tls.backend in v1.4. */
    backendTLS: obj({ clientCertificateRef: secretObjectReference().optional() }).optional(),
  }).superRefine((spec, ctx) => {
    checkListeners(spec.listeners, ctx);
    for (const type of ['IPAddress', 'Hostname']) {
      reportDuplicates(ctx, spec.addresses ?? [], (a) => (a.type === type && a.value !== undefined && a.value !== '' ? a.value : undefined), {
        path: (i) => ['addresses', i, 'value'],
        message: (k, first) => `${type} values must be unique ("${k}") (first used at ${first})`,
      });
    }
  });

const listenerStatus = () =>
  obj({
    name: sectionName(),
    supportedKinds: z.array(routeGroupKind()).max(8).optional(),
    attachedRoutes: z.int(),
    conditions: z.array(metaCondition()).max(8),
  });

const gatewayStatus = () =>
  obj({
    addresses: z.array(gatewayAddress(true)).max(16).optional(),
    conditions: z.array(metaCondition()).max(8).optional(),
    listeners: z.array(listenerStatus()).max(64).optional(),
    attachedListenerSets: z.int().optional(),
  });

/**
 * gateway.networking.k8s.io Gateway (v1, also served as v1beta1), as of Gateway API
 * v1.4 with the experimental fields Istio reads. Istio uses it for ingress gateways
 * and, with gatewayClassName `istio-waypoint`, for ambient waypoints (an HBONE
 * listener on port 15008; label `istio.io/waypoint-for`).
 */
export const kubernetesGateway = defineKind({
  group: 'gateway.networking.k8s.io',
  kind: 'Gateway',
  versions: GATEWAY_API_VERSIONS,
  namespaced: true,
  body: {
    spec: gatewaySpec(),
    status: gatewayStatus().optional(),
  },
  refine: (gw, ctx) => {
    checkIstioLabels(ctx, gw.metadata.labels, { waypointFor: true, useWaypoint: true });
  },
});
