import { AmbitError } from '@ambit/errors';

/**
 * Why `ambitctl local` could not do what it was asked. Every one of them is raised
 * before anything starts, or after everything started was stopped again: local mode
 * never leaves half a mesh running.
 */

/** The config directory is not valid, or not valid for local mode (docs/local-mode.md#the-yaml). */
export class LocalConfigError extends AmbitError {
  constructor(directory: string, problem: string) {
    super('AMBIT_ERR_LOCAL_CONFIG', `${directory} ${problem}: nothing was started`, {
      hint: 'fix the lines above; `ambitctl validate -f <dir>` and `ambitctl analyze -f <dir>` check the same config',
    });
  }
}

/** Addresses local mode must listen on are taken by another process. */
export class PortInUseError extends AmbitError {
  readonly addresses: readonly string[];

  constructor(taken: readonly { readonly address: string; readonly purpose: string; readonly reason: string }[]) {
    const list = taken.map((t) => `${t.address} (${t.purpose}: ${t.reason})`).join(', ');
    super('AMBIT_ERR_LOCAL_PORT_IN_USE', `cannot listen on ${list}: nothing was started`, {
      hint: 'stop what listens there (`ss -ltnp` shows it), or move the control plane with --xds-port/--admin-port and nodes with their InternalIP',
    });
    this.addresses = taken.map((t) => t.address);
  }
}

/** Another `local up` runs on the same state directory. */
export class AlreadyRunningError extends AmbitError {
  constructor(stateDir: string, pid: number) {
    super('AMBIT_ERR_LOCAL_ALREADY_RUNNING', `a local mesh already runs on ${stateDir} (ambitctl pid ${pid}): nothing was started`, {
      hint: 'stop it with Ctrl-C (or kill <pid>), or give this one another --state-dir',
    });
  }
}

/** A program `local up` runs (the control plane, ztunnel, a sample) has not been compiled. */
export class NotBuiltError extends AmbitError {
  constructor(component: string, file: string, build: string) {
    super('AMBIT_ERR_LOCAL_NOT_BUILT', `${component} is not built (${file} is missing): nothing was started`, { hint: `build it: ${build}, or run \`npm start\`, which builds everything` });
  }
}

/** A component ended while the mesh was starting or running. */
export class ComponentExitedError extends AmbitError {
  readonly component: string;

  constructor(component: string, how: string, lastLines: readonly string[]) {
    const tail = lastLines.length === 0 ? ' without output' : `; its last lines:\n${lastLines.map((line) => `  ${line}`).join('\n')}`;
    super('AMBIT_ERR_LOCAL_COMPONENT_EXITED', `${component} ${how}${tail}`, { hint: 'everything else was stopped; fix the cause and run `ambitctl local up` again' });
    this.component = component;
  }
}

/** A component did not report ready in time. */
export class NotReadyError extends AmbitError {
  readonly component: string;

  constructor(component: string, url: string, timeoutMs: number, last: string) {
    super('AMBIT_ERR_LOCAL_NOT_READY', `${component} was not ready at ${url} after ${timeoutMs / 1000}s (last answer: ${last})`, {
      hint: 'its log lines above say what it waits for; give it longer with --ready-timeout',
    });
    this.component = component;
  }
}

/** The state file of a running mesh (local.json) cannot be read. */
export class StateFileError extends AmbitError {
  constructor(file: string, reason: string, cause?: unknown) {
    super('AMBIT_ERR_LOCAL_STATE', `${file} ${reason}`, { hint: 'it is written by `ambitctl local up` and removed when it stops; remove a leftover one by hand', cause });
  }
}
