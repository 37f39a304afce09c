import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { checkIpOrCidr } from '../../schema/names.js';
import { obj, report } from '../../schema/object.js';
import { checkedString } from '../../schema/primitives.js';
import { DRY_RUN_ANNOTATION, SECURITY_VERSIONS, istioStatus } from '../common/istio.js';
import { checkOneTargetKind, matchLabelsSelector, targetRefFields } from '../common/selectors.js';
import { defineKind } from '../define-kind.js';
import {
  MAX_SERVICE_ACCOUNTS,
  checkConditionKey,
  checkPathTemplate,
  checkPortString,
  checkServiceAccount,
  parseGoBool,
} from './authz-rules.js';

export const AUTHORIZATION_ACTIONS = ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'] as const;
/** Istio's CRD limits on rules and on `from` entries. */
export const MAX_RULES = 512;
export const MAX_FROM = 512;

/** Istio's CheckEmptyValues: no value of a source, operation or condition may be empty. */
const notEmpty = (value: string) => (value === '' ? 'empty value not allowed' : undefined);
/** How each kind of value is checked, in sources and operations and, by key, in `when` conditions. */
const VALUE_CHECKS = {
  string: notEmpty,
  ip: (v: string) => notEmpty(v) ?? checkIpOrCidr(v),
  port: (v: string) => notEmpty(v) ?? checkPortString(v),
  path: (v: string) => notEmpty(v) ?? checkPathTemplate(v),
  serviceAccount: checkServiceAccount,
} as const;

const values = () => z.array(checkedString(VALUE_CHECKS.string)).optional();
const ipBlocks = () => z.array(checkedString(VALUE_CHECKS.ip)).optional();
const serviceAccounts = () => z.array(checkedString(VALUE_CHECKS.serviceAccount)).max(MAX_SERVICE_ACCOUNTS).optional();
const ports = () => z.array(checkedString(VALUE_CHECKS.port)).optional();
const paths = () => z.array(checkedString(VALUE_CHECKS.path)).optional();

const SOURCE_FIELDS = [
  'principals',
  'notPrincipals',
  'requestPrincipals',
  'notRequestPrincipals',
  'namespaces',
  'notNamespaces',
  'ipBlocks',
  'notIpBlocks',
  'remoteIpBlocks',
  'notRemoteIpBlocks',
  'serviceAccounts',
  'notServiceAccounts',
] as const;

const source = () =>
  obj({
    principals: values(),
    notPrincipals: values(),
    requestPrincipals: values(),
    notRequestPrincipals: values(),
    namespaces: values(),
    notNamespaces: values(),
    ipBlocks: ipBlocks(),
    notIpBlocks: ipBlocks(),
    remoteIpBlocks: ipBlocks(),
    notRemoteIpBlocks: ipBlocks(),
    serviceAccounts: serviceAccounts(),
    notServiceAccounts: serviceAccounts(),
  }).superRefine((src, ctx) => {
    if (SOURCE_FIELDS.every((f) => (src[f]?.length ?? 0) === 0)) {
      report(ctx, IssueCode.Value, 'source must set at least one field', { hint: `set one of ${SOURCE_FIELDS.join(', ')}` });
      return;
    }
    const accounts = src.serviceAccounts !== undefined ? 'serviceAccounts' : src.notServiceAccounts !== undefined ? 'notServiceAccounts' : undefined;
    const other = (['principals', 'notPrincipals', 'namespaces', 'notNamespaces'] as const).find((f) => src[f] !== undefined);
    if (accounts !== undefined && other !== undefined) {
      report(ctx, IssueCode.Conflict, `${accounts} cannot be set with ${other}`, {
        path: [accounts],
        hint: 'serviceAccounts already name the namespace; drop principals and namespaces from this source',
      });
    }
  });

const OPERATION_FIELDS = ['hosts', 'notHosts', 'ports', 'notPorts', 'methods', 'notMethods', 'paths', 'notPaths'] as const;

const operation = () =>
  obj({
    hosts: values(),
    notHosts: values(),
    ports: ports(),
    notPorts: ports(),
    methods: values(),
    notMethods: values(),
    paths: paths(),
    notPaths: paths(),
  }).superRefine((op, ctx) => {
    if (OPERATION_FIELDS.every((f) => (op[f]?.length ?? 0) === 0)) {
      report(ctx, IssueCode.Value, 'operation must set at least one field', { hint: `set one of ${OPERATION_FIELDS.join(', ')}` });
    }
  });

/** A `when` condition: a known Istio attribute and the values it must (not) have. */
const condition = () =>
  obj({
    key: z.string(),
    values: z.array(z.string()).optional(),
    notValues: z.array(z.string()).optional(),
  }).superRefine((cond, ctx) => {
    const checked = checkConditionKey(cond.key);
    if ('error' in checked) {
      report(ctx, IssueCode.Value, checked.error, { path: ['key'], hint: checked.hint });
      return;
    }
    if ((cond.values?.length ?? 0) === 0 && (cond.notValues?.length ?? 0) === 0) {
      report(ctx, IssueCode.Required, `values or notValues is required for key ${cond.key}`);
      return;
    }
    const check = VALUE_CHECKS[checked.valueKind];
    for (const field of ['values', 'notValues'] as const) {
      cond[field]?.forEach((value, i) => {
        const err = check(value);
        if (err !== undefined) report(ctx, IssueCode.Value, err, { path: [field, i] });
      });
    }
  });

const from = () =>
  obj({ source: source().optional() }).superRefine((f, ctx) => {
    if (f.source === undefined) report(ctx, IssueCode.Required, 'is required', { path: ['source'] });
  });

const to = () =>
  obj({ operation: operation().optional() }).superRefine((t, ctx) => {
    if (t.operation === undefined) report(ctx, IssueCode.Required, 'is required', { path: ['operation'] });
  });

const rule = () =>
  obj({
    from: z.array(from()).max(MAX_FROM).optional(),
    to: z.array(to()).optional(),
    when: z.array(condition()).optional(),
  });

type Rule = z.output<ReturnType<typeof rule>>;

/** Source fields and condition keys the CUSTOM action cannot match on (Istio's ext-authz limits). */
const CUSTOM_UNSUPPORTED_SOURCE = [
  'namespaces',
  'notNamespaces',
  'serviceAccounts',
  'notServiceAccounts',
  'principals',
  'notPrincipals',
  'requestPrincipals',
  'notRequestPrincipals',
] as const;

function customUnsupportedKey(key: string): boolean {
  return key === 'source.namespace' || key === 'source.serviceAccount' || key === 'source.principal' || key.startsWith('request.auth.');
}

function checkCustomRules(rules: readonly Rule[], ctx: z.RefinementCtx): void {
  rules.forEach((r, i) => {
    r.from?.forEach((f, j) => {
      for (const field of CUSTOM_UNSUPPORTED_SOURCE) {
        if ((f.source?.[field]?.length ?? 0) > 0) {
          report(ctx, IssueCode.Conflict, `${field} is not supported with the CUSTOM action`, {
            path: ['rules', i, 'from', j, 'source', field],
          });
        }
      }
    });
    r.when?.forEach((w, j) => {
      if (customUnsupportedKey(w.key)) {
        report(ctx, IssueCode.Conflict, `key ${w.key} is not supported with the CUSTOM action`, { path: ['rules', i, 'when', j, 'key'] });
      }
    });
  });
}

const authorizationPolicySpec = () =>
  obj({
    selector: matchLabelsSelector().optional(),
    ...targetRefFields(),
    rules: z.array(rule()).max(MAX_RULES).optional(),
    action: z.enum(AUTHORIZATION_ACTIONS).optional(),
    provider: obj({ name: z.string().optional() }).optional(),
  }).superRefine((spec, ctx) => {
    checkOneTargetKind(spec, ctx);
    const hasRules = (spec.rules?.length ?? 0) > 0;
    const everyRequest = 'add an empty rule {} to match every request';
    if (spec.action === 'CUSTOM') {
      if (!hasRules) {
        report(ctx, IssueCode.Required, 'the CUSTOM action requires rules', { path: ['rules'], hint: everyRequest });
      } else if ((spec.provider?.name ?? '') === '') {
        report(ctx, IssueCode.Required, 'the CUSTOM action requires provider.name', {
          path: spec.provider === undefined ? ['provider'] : ['provider', 'name'],
          hint: 'name an extension provider from the mesh config',
        });
      }
      checkCustomRules(spec.rules ?? [], ctx);
    } else if (spec.provider !== undefined) {
      report(ctx, IssueCode.Conflict, `provider is only allowed with the CUSTOM action, found ${spec.action ?? 'ALLOW'}`, {
        path: ['provider'],
      });
    }
    if (spec.action === 'DENY' && !hasRules) {
      report(ctx, IssueCode.Required, 'the DENY action requires rules', { path: ['rules'], hint: everyRequest });
    }
  });

export const authorizationPolicy = defineKind({
  group: 'security.istio.io',
  kind: 'AuthorizationPolicy',
  versions: SECURITY_VERSIONS,
  namespaced: true,
  body: {
    spec: authorizationPolicySpec().optional(),
    status: istioStatus(),
  },
  refine(object, ctx) {
    const dryRun = object.metadata.annotations?.[DRY_RUN_ANNOTATION];
    if (dryRun === undefined) return;
    const path = ['metadata', 'annotations', DRY_RUN_ANNOTATION];
    const action = object.spec?.action ?? 'ALLOW';
    if (action !== 'ALLOW' && action !== 'DENY') {
      report(ctx, IssueCode.Conflict, `annotation ${DRY_RUN_ANNOTATION} is only supported with the ALLOW and DENY actions, found ${action}`, { path });
    } else if (parseGoBool(dryRun) === undefined) {
      report(ctx, IssueCode.Value, `annotation ${DRY_RUN_ANNOTATION} must be true or false, got "${dryRun}"`, { path });
    }
  },
});
