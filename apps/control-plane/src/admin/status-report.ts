import { formatIssue, type Resource } from '@ambit/config-model';
import { describeId, idOf, type ResourceStatus } from '@ambit/mesh-model';
import type { FileProviderStatus } from '../provider/index.js';

export interface StatusSources {
  readonly provider: FileProviderStatus;
  /** The resources in force. */
  readonly resources: readonly Resource[];
  readonly resourceStatus: (resource: Resource) => ResourceStatus | undefined;
  /** Set while the served resources lag behind the config because applying it failed. */
  readonly translationFailure: { readonly at: Date; readonly message: string } | undefined;
}

/**
 * `/debug/status`: each config file (ok, or its issues as `file:line:col …` lines, the
 * form `ambitctl validate` prints), then what each resource in force applies to, or why
 * nothing, from the model's status facts.
 */
export function statusReport(sources: StatusSources): unknown {
  const { provider } = sources;
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
    translation: sources.translationFailure === undefined ? { status: 'ok' } : { status: 'error', ...sources.translationFailure },
    resources: sources.resources.flatMap((resource) => {
      const status = sources.resourceStatus(resource);
      if (status === undefined) return [];
      const { file, line, col } = resource.source;
      return [{ resource: describeId(idOf(resource)), source: `${file}:${line}:${col}`, appliedTo: status.appliedTo, notes: status.notes }];
    }),
  };
}
