import { AmbitError } from '@ambit/errors';
import { describe, expect, it } from 'vitest';
import { closeRunners, StageClosedError, StageCloseError, StageStartError, StageTimeoutError, startRunners, type Runner } from './runner.js';

/** A stage that records start and close calls in a shared log, failing where told. */
function stage(name: string, log: string[], behaviour: { start?: 'fail' | 'hang'; close?: 'fail' | 'hang' } = {}): Runner {
  return {
    name,
    start() {
      log.push(`start ${name}`);
      if (behaviour.start === 'fail') return Promise.reject(new AmbitError('AMBIT_ERR_TEST', `${name} cannot bind`, { hint: 'free the port' }));
      if (behaviour.start === 'hang') return new Promise<void>(() => undefined);
      return Promise.resolve();
    },
    close() {
      log.push(`close ${name}`);
      if (behaviour.close === 'fail') return Promise.reject(new Error(`${name} stuck`));
      if (behaviour.close === 'hang') return new Promise<void>(() => undefined);
      return Promise.resolve();
    },
  };
}

describe('startRunners', () => {
  it('starts the stages in order, each after the previous is ready', async () => {
    const log: string[] = [];
    await startRunners([stage('provider', log), stage('model', log), stage('xds', log)]);
    expect(log).toEqual(['start provider', 'start model', 'start xds']);
  });

  it('closes what it started in reverse when a stage fails, and names that stage', async () => {
    const log: string[] = [];
    const error = await startRunners([stage('provider', log), stage('model', log), stage('xds', log, { start: 'fail' }), stage('status', log)]).catch((e: unknown) => e);
    expect(log).toEqual(['start provider', 'start model', 'start xds', 'close xds', 'close model', 'close provider']);
    expect(error).toBeInstanceOf(StageStartError);
    expect(error).toMatchObject({
      code: 'AMBIT_ERR_CP_STAGE_START',
      stage: 'xds',
      message: 'control-plane stage xds failed to start: xds cannot bind (free the port)',
      closeErrors: [],
    });
    expect((error as StageStartError).cause).toMatchObject({ code: 'AMBIT_ERR_TEST' });
  });

  it('gives up on a stage that does not start in time, and reports stages that then fail to close', async () => {
    const log: string[] = [];
    const error = (await startRunners([stage('provider', log, { close: 'fail' }), stage('xds', log, { start: 'hang' })], { startTimeoutMs: 10 }).catch((e: unknown) => e)) as StageStartError;
    expect(log).toEqual(['start provider', 'start xds', 'close xds', 'close provider']);
    expect(error.cause).toBeInstanceOf(StageTimeoutError);
    expect(error.message).toBe('control-plane stage xds failed to start: control-plane stage xds did not start within 10 ms (is a file system or network peer it depends on hanging?); provider then failed to close');
    expect(error.closeErrors.map((e) => e.stage)).toEqual(['provider']);
  });
});

describe('closeRunners', () => {
  it('closes every stage in reverse, past failures and hangs, and returns what failed', async () => {
    const log: string[] = [];
    const errors = await closeRunners([stage('provider', log), stage('model', log, { close: 'hang' }), stage('xds', log, { close: 'fail' })], { closeTimeoutMs: 10 });
    expect(log).toEqual(['close xds', 'close model', 'close provider']);
    expect(errors.map((e) => [e.stage, e.message])).toEqual([
      ['xds', 'control-plane stage xds failed to close: xds stuck'],
      ['model', 'control-plane stage model failed to close: control-plane stage model did not close within 10 ms'],
    ]);
  });

  it('returns nothing when all closed', async () => {
    expect(await closeRunners([stage('provider', [])])).toEqual([]);
  });
});

describe('stage errors', () => {
  it.each([
    [new StageStartError('xds', new Error('EADDRINUSE'), []), 'AMBIT_ERR_CP_STAGE_START', 'control-plane stage xds failed to start: EADDRINUSE'],
    [new StageCloseError('xds', 'boom'), 'AMBIT_ERR_CP_STAGE_CLOSE', 'control-plane stage xds failed to close: boom'],
    [new StageTimeoutError('xds', 'close', 5), 'AMBIT_ERR_CP_STAGE_TIMEOUT', 'control-plane stage xds did not close within 5 ms'],
    [new StageClosedError('file-provider'), 'AMBIT_ERR_CP_STAGE_CLOSED', 'control-plane stage file-provider was closed before it finished starting'],
  ])('%s', (error, code, message) => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.name).toBe(error.constructor.name);
    expect({ code: error.code, message: error.message }).toEqual({ code, message });
  });
});
