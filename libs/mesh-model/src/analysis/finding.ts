import type { Resource } from '@ambit/config-model';
import type { MeshModel } from '../mesh-model.js';
import { idOf } from '../resource-id.js';
import type { StatusNote } from '../status-note.js';
import { codeDoc, codeInfo } from './codes.js';

/** One status note, placed: the resource it is about and where that resource is written. */
export interface Finding {
  readonly code: string;
  readonly severity: StatusNote['severity'];
  readonly reason: StatusNote['reason'];
  readonly title: string;
  /** Where the code is explained (`docs/analysis.md#amb0101`). */
  readonly doc: string;
  readonly kind: string;
  /** Undefined for cluster-scoped resources. */
  readonly namespace: string | undefined;
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string | undefined;
  readonly message: string;
  readonly hint: string | undefined;
}

/** The findings about the given resources (those the model holds), in their order and each resource's note order. */
export function findings(model: MeshModel, resources: readonly Resource[]): Finding[] {
  return resources.flatMap((resource) => (model.status(idOf(resource))?.notes ?? []).map((n) => finding(resource, n)));
}

function finding(resource: Resource, n: StatusNote): Finding {
  const { file, line, col } = resource.source;
  return {
    code: n.code,
    severity: n.severity,
    reason: n.reason,
    title: codeInfo(n.code)?.title ?? '',
    doc: codeDoc(n.code),
    kind: resource.kind,
    namespace: resource.metadata.namespace === '' ? undefined : resource.metadata.namespace,
    name: resource.metadata.name,
    file,
    line,
    column: col,
    path: n.path,
    message: n.message,
    hint: n.hint,
  };
}

/** `file:line:col Kind namespace/name field.path: AMB0101 message (hint)`, the form config issues take too. */
export function formatFinding(f: Finding): string {
  const name = f.namespace === undefined ? f.name : `${f.namespace}/${f.name}`;
  const path = f.path === undefined ? '' : ` ${f.path}`;
  const hint = f.hint === undefined ? '' : ` (${f.hint})`;
  return `${f.file}:${f.line}:${f.column} ${f.kind} ${name}${path}: ${f.code} ${f.message}${hint}`;
}
