import { describe, expect, it } from 'vitest';
import { debugJson } from './debug-json.js';

describe('debugJson', () => {
  it('shows address bytes as IP text, other bytes as base64', () => {
    const v6 = new Uint8Array(16);
    v6[0] = 0xfd;
    v6[15] = 1;
    const parsed = JSON.parse(debugJson({ v4: Uint8Array.from([10, 0, 0, 1]), v6, buffer: Buffer.from([127, 0, 0, 1]), other: Uint8Array.from([1, 2]) })) as unknown;
    expect(parsed).toEqual({ v4: '10.0.0.1', v6: 'fd00::1', buffer: '127.0.0.1', other: 'AQI=' });
  });
});
