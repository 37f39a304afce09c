import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StateFileError } from './errors.js';
import type { PlannedService, PlannedWorkload } from './plan.js';
import type { PlannedSample } from './samples.js';
import type { PlannedGateway } from './gateways.js';
import type { PlannedWaypoint } from './waypoints.js';

/** local.json: what `local up` runs and where, for `local status` and scripts. */
export interface LocalState {
  readonly version: 1;
  /** `starting` until every component reported ready, then `running`. */
  readonly phase: 'starting' | 'running';
  /** The `ambitctl local up` process. */
  readonly pid: number;
  readonly startedAt: string;
  readonly configDir: string;
  readonly stateDir: string;
  readonly controlPlane: { readonly pid: number; readonly xds: string; readonly admin: string };
  readonly nodes: readonly {
    readonly name: string;
    readonly address: string;
    readonly pid: number;
    readonly admin: string;
    readonly metrics: string;
    readonly readiness: string;
  }[];
  readonly workloads: readonly PlannedWorkload[];
  readonly services: readonly PlannedService[];
  /** The sample workloads started, each with its process id (0 when not started yet). */
  readonly samples: readonly (PlannedSample & { readonly pid: number })[];
  /** The waypoints, each with its process id (0 when not started yet). */
  readonly waypoints: readonly (PlannedWaypoint & { readonly pid: number })[];
  /** The ingress gateways, each with its process id (0 when not started yet). */
  readonly gateways?: readonly (PlannedGateway & { readonly pid: number })[];
}

const MAX_STATE_BYTES = 16 * 1024 * 1024;

export function stateFile(stateDir: string): string {
  return join(stateDir, 'local.json');
}

/** Written whole (a temporary file renamed over it), so a reader never sees half of it. */
export async function writeState(state: LocalState): Promise<void> {
  const file = stateFile(state.stateDir);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, file);
}

export async function removeState(stateDir: string): Promise<void> {
  await rm(stateFile(stateDir), { force: true });
}

/** The state of the mesh running on `stateDir`; undefined when none was started there. */
export async function readState(stateDir: string): Promise<LocalState | undefined> {
  const file = stateFile(stateDir);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateFileError(file, `cannot be read: ${(error as Error).message}`, error);
  }
  if (bytes.byteLength > MAX_STATE_BYTES) throw new StateFileError(file, `is larger than ${MAX_STATE_BYTES} bytes`);
  let state: unknown;
  try {
    state = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new StateFileError(file, 'is not JSON', error);
  }
  if (typeof state !== 'object' || state === null || (state as { version?: unknown }).version !== 1 || typeof (state as { pid?: unknown }).pid !== 'number') {
    throw new StateFileError(file, 'is not a local.json of this ambitctl version');
  }
  return state as LocalState;
}

/** Whether the process is alive (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
