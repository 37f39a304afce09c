import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The external programs the suite drives; each row that needs a missing one is skipped and says so. */
export type ToolName = 'haproxy' | 'nginx' | 'wrk' | 'h2load';

export interface Tool {
  readonly name: ToolName;
  /** The executable's path, or undefined when it is not installed. */
  readonly path: string | undefined;
  readonly version: string;
}

const VERSION_ARGS: Readonly<Record<ToolName, readonly string[]>> = {
  haproxy: ['-v'],
  nginx: ['-v'],
  wrk: ['-v'],
  h2load: ['--version'],
};
// haproxy and nginx install to sbin, which a non-root PATH often lacks.
const SEARCH = [...(process.env['PATH'] ?? '').split(':').filter(Boolean), '/usr/sbin', '/usr/local/sbin', '/sbin'];
export const INSTALL_HINT = 'apt-get install -y haproxy nginx wrk nghttp2-client';

/** Finds each tool and asks it its version (within 5 s). */
export function detectTools(): Readonly<Record<ToolName, Tool>> {
  const found = {} as Record<ToolName, Tool>;
  for (const name of Object.keys(VERSION_ARGS) as ToolName[]) {
    const path = SEARCH.map((dir) => `${dir}/${name}`).find((candidate) => existsSync(candidate));
    if (path === undefined) {
      found[name] = { name, path, version: 'not installed' };
      continue;
    }
    const run = spawnSync(path, VERSION_ARGS[name], { encoding: 'utf8', timeout: 5000 });
    const firstLine = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n')[0] ?? '';
    found[name] = { name, path, version: firstLine.replace(/ - https?:\S+/, '').replace(/^nginx version: /, '').replace(/ Copyright.*$/, '').trim() || 'unknown version' };
  }
  return found;
}

/** Why a row cannot run, or undefined when every tool it needs is here. */
export function missing(tools: Readonly<Record<ToolName, Tool>>, ...needed: ToolName[]): string | undefined {
  const absent = needed.filter((name) => tools[name].path === undefined);
  return absent.length === 0 ? undefined : `skipped: ${absent.join(', ')} not installed (${INSTALL_HINT})`;
}
