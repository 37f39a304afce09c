import { formatIssue, type Resource } from '@ambit/config-model';
import { describeId, idOf, type ResourceStatus, type StatusNote, type StatusTarget } from '@ambit/mesh-model';
import type { FileProviderStatus, KindStatus, KubernetesProviderStatus } from '../provider/index.js';

export interface StatusSources {
  readonly provider: FileProviderStatus | KubernetesProviderStatus;
  /** The resources in force. */
  readonly resources: readonly Resource[];
  readonly resourceStatus: (resource: Resource) => ResourceStatus | undefined;
  /** Set while the served resources lag behind the config because applying it failed. */
  readonly translationFailure: { readonly at: Date; readonly message: string } | undefined;
}

/** One resource in force: what it applies to and its findings (each with its AMB code, docs/analysis.md). */
export interface ResourceReport {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** `Kind namespace/name`. */
  readonly resource: string;
  /** `file:line:col` where it is written. */
  readonly source: string;
  readonly appliedTo: readonly StatusTarget[];
  readonly notes: readonly StatusNote[];
}

export interface FindingCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly info: number;
}

/** Where the config comes from: the file provider's directory and files, or the Kubernetes provider's kinds and invalid objects. */
export type ProviderReport =
  | {
      readonly directory: string;
      readonly mode: FileProviderStatus['mode'];
      readonly directoryIssues: readonly string[];
      readonly files: readonly unknown[];
    }
  | {
      readonly provider: 'kubernetes';
      readonly server: string | undefined;
      readonly kinds: readonly KindStatus[];
      /** Objects whose latest version has issues, each `{ object, status, issues, loadedAt, inForceSince }`. */
      readonly objects: readonly unknown[];
    };

export type StatusReport = ProviderReport & {
  readonly translation: { readonly status: 'ok' } | { readonly status: 'error'; readonly at: Date; readonly message: string };
  /** Findings of the listed resources, by severity. */
  readonly summary: FindingCounts;
  readonly resources: readonly ResourceReport[];
};

/** `?kind=&namespace=&name=` of /debug/status: each, when given, must match exactly. */
export interface StatusFilter {
  readonly kind?: string | undefined;
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
}

/**
 * `/debug/status`: each config file (ok, or its issues as `file:line:col …` lines, the
 * form `ambitctl validate` prints), then what each resource in force applies to, or why
 * nothing: the model's status facts, the very findings `ambitctl analyze` prints.
 */
export function statusReport(sources: StatusSources): StatusReport {
  const { provider } = sources;
  const resources = sources.resources.flatMap((resource): ResourceReport[] => {
    const status = sources.resourceStatus(resource);
    if (status === undefined) return [];
    const { file, line, col } = resource.source;
    const { kind, metadata } = resource;
    return [{ kind, namespace: metadata.namespace, name: metadata.name, resource: describeId(idOf(resource)), source: `${file}:${line}:${col}`, appliedTo: status.appliedTo, notes: status.notes }];
  });
  return {
    ...providerReport(provider),
    translation: sources.translationFailure === undefined ? { status: 'ok' } : { status: 'error', ...sources.translationFailure },
    summary: countFindings(resources),
    resources,
  };
}

function providerReport(provider: FileProviderStatus | KubernetesProviderStatus): ProviderReport {
  if ('kinds' in provider) {
    return {
      provider: 'kubernetes',
      server: provider.server,
      kinds: provider.kinds,
      objects: provider.objects.map((object) => ({
        object: object.object,
        status: object.ok ? 'ok' : 'error',
        issues: object.issues.map(formatIssue),
        loadedAt: object.loadedAt,
        inForceSince: object.inForceSince ?? null,
      })),
    };
  }
  return {
    directory: provider.directory,
    mode: provider.mode,
    directoryIssues: provider.issues.map(formatIssue),
    files: provider.files.map((file) => ({
      path: file.path,
      status: file.ok ? 'ok' : 'error',
      issues: file.issues.map(formatIssue),
      loadedAt: file.loadedAt,
      inForceSince: file.inForceSince ?? null,
      resources: file.resources,
    })),
  };
}

/** The filter a query asks for; parameters other than kind, namespace and name are ignored. */
export function statusFilter(query: URLSearchParams): StatusFilter {
  return { kind: query.get('kind') ?? undefined, namespace: query.get('namespace') ?? undefined, name: query.get('name') ?? undefined };
}

/** The report narrowed to the resources that match, its summary counting only theirs. */
export function filterStatus(report: StatusReport, filter: StatusFilter): StatusReport {
  const matches = (r: ResourceReport): boolean =>
    (filter.kind === undefined || r.kind === filter.kind) && (filter.namespace === undefined || r.namespace === filter.namespace) && (filter.name === undefined || r.name === filter.name);
  const resources = report.resources.filter(matches);
  return { ...report, summary: countFindings(resources), resources };
}

function countFindings(resources: readonly ResourceReport[]): FindingCounts {
  const notes = resources.flatMap((r) => r.notes);
  const count = (severity: StatusNote['severity']): number => notes.filter((n) => n.severity === severity).length;
  return { errors: count('error'), warnings: count('warning'), info: count('info') };
}
