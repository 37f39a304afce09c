import * as z from 'zod';
import { IssueCode, type ConfigIssue, type ResourceRef } from '../issues.js';
import { apiVersionOf, type KindDefinition, type ResourceMetadata } from '../kinds/define-kind.js';
import { objectMeta } from '../kinds/common/object-meta.js';
import { KINDS, type Resource } from '../kinds/registry.js';
import { isWarning, obj, withoutWarnings } from '../schema/object.js';
import { dns1123Label, dns1123Subdomain } from '../schema/primitives.js';
import { nearest } from '../schema/suggest.js';
import { toConfigIssues } from '../schema/to-issues.js';
import type { RawObject } from '../source/parse-documents.js';

export interface ValidateOptions {
  /** Namespace given to namespaced resources that do not name one (kubectl's default). */
  readonly defaultNamespace: string;
}

const SCHEMAS = new Map<KindDefinition, z.ZodType>();

function schemaFor(def: KindDefinition): z.ZodType {
  let schema = SCHEMAS.get(def);
  if (schema === undefined) {
    const name = def.nameFormat === 'dns1123-label' ? dns1123Label() : dns1123Subdomain();
    const whole = obj({ apiVersion: z.string(), kind: z.string(), metadata: objectMeta(name), ...def.body });
    const refine = def.refine;
    schema = refine === undefined ? whole : whole.superRefine((value, ctx) => refine(value as never, ctx));
    SCHEMAS.set(def, schema);
  }
  return schema;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Validates one object read from a source into a typed, normalised resource. */
export function validateObject(raw: RawObject, options: ValidateOptions): { resource?: Resource; issues: ConfigIssue[] } {
  const issue = (code: IssueCode, path: (string | number)[], message: string, hint?: string, resource?: ResourceRef): ConfigIssue => ({
    severity: 'error',
    code,
    position: raw.locate(path),
    resource,
    path: path.join('.'),
    message,
    hint,
  });

  const value = raw.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      issues: [issue(IssueCode.NotAResource, [], `expected a resource (an object with apiVersion and kind), got ${Array.isArray(value) ? 'a list' : typeof value}`)],
    };
  }
  const record = value as Record<string, unknown>;
  const header: ConfigIssue[] = [];
  for (const field of ['apiVersion', 'kind'] as const) {
    if (record[field] === undefined) header.push(issue(IssueCode.Required, [field], 'is required'));
    else if (typeof record[field] !== 'string') header.push(issue(IssueCode.Type, [field], `expected a string, got ${typeof record[field]}`));
  }
  if (header.length > 0) return { issues: header };

  const apiVersion = record['apiVersion'] as string;
  const kind = record['kind'] as string;
  const { group, version } = splitApiVersion(apiVersion);
  const ref = resourceRef(kind, record['metadata']);
  const sameKind = KINDS.filter((k) => k.kind === kind);
  const def = sameKind.find((k) => k.group === group);
  if (def === undefined) {
    if (sameKind.length > 0) {
      const served = sameKind.flatMap((k) => k.versions.map((v) => apiVersionOf(k.group, v)));
      return { issues: [issue(IssueCode.UnknownKind, ['apiVersion'], `kind ${kind} is not served as ${apiVersion}`, `use apiVersion ${served.join(', ')}`, ref)] };
    }
    const suggestion = nearest(kind, KINDS.map((k) => k.kind));
    const hint = suggestion === undefined ? 'see docs/configuration.md for the kinds Ambit reads' : `did you mean "${suggestion}"?`;
    return { issues: [issue(IssueCode.UnknownKind, ['kind'], `unknown kind ${kind} (${apiVersion})`, hint, ref)] };
  }
  // Name the resource as it will be known: in its effective namespace.
  const known = ref === undefined ? undefined : { ...ref, namespace: def.namespaced ? (ref.namespace ?? options.defaultNamespace) : undefined };
  if (!def.versions.includes(version)) {
    const served = def.versions.map((v) => apiVersionOf(def.group, v)).join(', ');
    return { issues: [issue(IssueCode.UnknownKind, ['apiVersion'], `${kind} is not served as ${apiVersion}`, `use one of ${served}`, known)] };
  }

  const schema = schemaFor(def);
  let parsed = schema.safeParse(value, { reportInput: true });
  let issues: ConfigIssue[] = [];
  if (!parsed.success) {
    const warnings = parsed.error.issues.filter(isWarning);
    if (warnings.length === 0) return { issues: toConfigIssues(parsed.error.issues, raw.locate, known) };
    // Warnings made zod fail the parse (and may have hidden errors of enclosing
    // objects, whose checks run only when their fields are clean): parse again
    // without them, and report the warnings with whatever that finds.
    parsed = withoutWarnings(() => schema.safeParse(value, { reportInput: true }));
    issues = toConfigIssues(warnings, raw.locate, known);
    if (!parsed.success) return { issues: [...issues, ...toConfigIssues(parsed.error.issues, raw.locate, known)] };
  }

  const data = parsed.data as Record<string, unknown> & { metadata: Record<string, unknown> };
  const { apiVersion: _apiVersion, kind: _kind, metadata, ...body } = data;
  const resource = {
    group: def.group,
    kind: def.kind,
    apiVersion,
    metadata: normaliseMetadata(metadata, def.namespaced, options.defaultNamespace),
    source: raw.position,
    ...body,
  } as unknown as Resource;
  return { resource, issues };
}

function normaliseMetadata(metadata: Record<string, unknown>, namespaced: boolean, defaultNamespace: string): ResourceMetadata {
  return {
    name: metadata['name'] as string,
    namespace: namespaced ? ((metadata['namespace'] as string | undefined) ?? defaultNamespace) : '',
    labels: (metadata['labels'] as Record<string, string> | undefined) ?? {},
    annotations: (metadata['annotations'] as Record<string, string> | undefined) ?? {},
    generation: (metadata['generation'] as number | undefined) ?? 0,
  };
}

function resourceRef(kind: string, metadata: unknown): ResourceRef | undefined {
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const { name, namespace } = metadata as { name?: unknown; namespace?: unknown };
  if (typeof name !== 'string') return undefined;
  return { kind, name, namespace: typeof namespace === 'string' ? namespace : undefined };
}
