import { AmbitError } from '@ambit/errors';
import { describe, expect, it } from 'vitest';
import { AlreadyRunningError, ComponentExitedError, LocalConfigError, NotBuiltError, NotReadyError, PortInUseError, StateFileError } from './errors.js';

describe('local mode errors', () => {
  it.each([
    [new LocalConfigError('/m', 'has 2 errors'), 'AMBIT_ERR_LOCAL_CONFIG', '/m has 2 errors: nothing was started', /ambitctl validate/],
    [
      new PortInUseError([{ address: '127.0.1.1:15000', purpose: 'ztunnel n1 admin', reason: 'in use' }]),
      'AMBIT_ERR_LOCAL_PORT_IN_USE',
      'cannot listen on 127.0.1.1:15000 (ztunnel n1 admin: in use): nothing was started',
      /--xds-port/,
    ],
    [new AlreadyRunningError('/s', 42), 'AMBIT_ERR_LOCAL_ALREADY_RUNNING', 'a local mesh already runs on /s (ambitctl pid 42): nothing was started', /--state-dir/],
    [new NotBuiltError('ztunnel', '/z/dist/main.js', 'npx tsc -b z'), 'AMBIT_ERR_LOCAL_NOT_BUILT', 'ztunnel is not built (/z/dist/main.js is missing): nothing was started', /npx tsc -b z.*npm start/],
    [new ComponentExitedError('ztunnel n1', 'exited with code 1', ['a', 'b']), 'AMBIT_ERR_LOCAL_COMPONENT_EXITED', 'ztunnel n1 exited with code 1; its last lines:\n  a\n  b', /everything else was stopped/],
    [new ComponentExitedError('control-plane', 'was killed by SIGKILL', []), 'AMBIT_ERR_LOCAL_COMPONENT_EXITED', 'control-plane was killed by SIGKILL without output', /run `ambitctl local up` again/],
    [new NotReadyError('ztunnel n1', 'http://127.0.1.1:15021/healthz/ready', 30_000, '503 xds: not synced'), 'AMBIT_ERR_LOCAL_NOT_READY', 'ztunnel n1 was not ready at http://127.0.1.1:15021/healthz/ready after 30s (last answer: 503 xds: not synced)', /--ready-timeout/],
    [new StateFileError('/s/local.json', 'is not JSON'), 'AMBIT_ERR_LOCAL_STATE', '/s/local.json is not JSON', /remove a leftover one/],
  ])('%s', (error, code, message, hint) => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.hint).toMatch(hint);
    expect(error.name).toBe(error.constructor.name);
  });
});
