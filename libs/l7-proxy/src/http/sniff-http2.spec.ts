import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sniffHttp2 } from './sniff-http2.js';

/** A connection stand-in: what the client sends is pushed in. */
function connection(): { stream: Duplex; send: (text: string) => void } {
  const stream = new Duplex({ read: () => undefined, write: (_chunk, _encoding, callback) => callback() });
  return { stream, send: (text) => stream.push(text) };
}

describe('sniffHttp2', () => {
  it('tells the preface from HTTP/1.1 after the first differing byte, and puts the bytes back', async () => {
    const h1 = connection();
    const decided = sniffHttp2(h1.stream, 1000);
    h1.send('PO');
    h1.send('ST / HTTP/1.1\r\n');
    await expect(decided).resolves.toBe(false);
    expect(h1.stream.read()?.toString()).toBe('POST / HTTP/1.1\r\n');
    const h2 = connection();
    const preface = sniffHttp2(h2.stream, 1000);
    h2.send('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    await expect(preface).resolves.toBe(true);
    const ended = connection();
    const short = sniffHttp2(ended.stream, 1000);
    ended.send('PRI');
    ended.stream.push(null);
    await expect(short).rejects.toThrow('the connection ended after 3 bytes');
  });
});
