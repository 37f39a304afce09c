import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { KubeApiClient } from './api-client.js';
import { KubeApiError, KubeApiUnreachableError } from './errors.js';
import { collectionPath, type WatchedKind } from './watched-kinds.js';

export interface PagedListOptions {
  /** Objects per page (`limit`). */
  readonly pageSize: number;
  readonly signal: AbortSignal;
  /** Largest page accepted, in bytes. */
  readonly maxPageBytes: number;
}

/** A list answer as JSON (client-node's V1ListMeta names `continue` `_continue`, its model-class name). */
interface ListPage {
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
  readonly items?: KubernetesObject[];
}

/** How often a list whose continue token expired is started over before giving up. */
const MAX_RESTARTS = 3;

/**
 * Lists every object of a kind page by page (`limit`/`continue`), so that a large
 * cluster never sends one huge answer. All pages are of one consistent snapshot: its
 * resourceVersion is the first page's. A continue token that expired (410 Gone, after a
 * compaction) starts the list over, as client-go's reflector does.
 */
export async function listAll(api: KubeApiClient, kind: WatchedKind, options: PagedListOptions): Promise<KubernetesListObject<KubernetesObject>> {
  for (let restart = 0; ; restart++) {
    try {
      return await listOnce(api, kind, options);
    } catch (error) {
      if (!(error instanceof KubeApiError && error.status === 410 && restart < MAX_RESTARTS)) throw error;
    }
  }
}

async function listOnce(api: KubeApiClient, kind: WatchedKind, options: PagedListOptions): Promise<KubernetesListObject<KubernetesObject>> {
  const items: KubernetesObject[] = [];
  let resourceVersion: string | undefined;
  let next: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(options.pageSize) });
    if (kind.fieldSelector !== undefined) query.set('fieldSelector', kind.fieldSelector);
    if (next !== undefined) query.set('continue', next);
    const path = `${collectionPath(kind)}?${query}`;
    const page = (await api.request({ method: 'GET', path, signal: options.signal, maxBytes: options.maxPageBytes })) as ListPage | undefined;
    if (page === undefined || !Array.isArray(page.items)) throw new KubeApiUnreachableError('GET', path, 'the answer is not a list');
    items.push(...page.items);
    resourceVersion ??= page.metadata?.resourceVersion;
    next = page.metadata?.continue || undefined;
  } while (next !== undefined);
  return { apiVersion: kind.version, kind: `${kind.kind}List`, metadata: { resourceVersion: resourceVersion ?? '' }, items };
}
