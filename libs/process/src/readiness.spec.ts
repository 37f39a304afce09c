import { describe, expect, it } from 'vitest';
import { readiness } from './readiness.js';

describe('readiness', () => {
  it('is ready when every check is, with one line per check', () => {
    expect(readiness([{ name: 'xds', pending: () => undefined }])).toEqual({ ready: true, lines: ['xds: ready'] });
    expect(readiness([])).toEqual({ ready: true, lines: [] });
  });

  it('names each part that is not ready, asking every check when read', () => {
    let pending: string | undefined = 'not listening';
    const checks = [
      { name: 'xds', pending: () => pending },
      { name: 'config', pending: () => undefined },
    ];
    expect(readiness(checks)).toEqual({ ready: false, lines: ['xds: not listening', 'config: ready'] });
    pending = undefined;
    expect(readiness(checks).ready).toBe(true);
  });
});
