import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeReply, MAX_GREETING_BYTES, MAX_REQUEST_BYTES, parseGreeting, parseRequest, Reply } from './protocol.js';

const RUNS = Number(process.env.AMBIT_FUZZ_RUNS ?? 200);
const bytes = (...values: number[]) => Buffer.from(values);
const connect = (atyp: number, address: number[], port = 80) => bytes(5, 1, 0, atyp, ...address, port >> 8, port & 255);

describe('parseGreeting', () => {
  it('reads the offered methods and how many bytes they took', () => {
    expect(parseGreeting(bytes(5, 2, 0, 2, 0x99))).toEqual({ status: 'done', value: { methods: [0, 2] }, length: 4 });
  });

  it('waits for the rest of a truncated greeting', () => {
    for (const prefix of [bytes(), bytes(5), bytes(5, 3, 0, 1)]) expect(parseGreeting(prefix)).toEqual({ status: 'incomplete' });
  });

  it('refuses other versions and empty method lists without a reply', () => {
    expect(parseGreeting(bytes(4, 1, 0))).toMatchObject({ status: 'invalid', reason: 'version 4 is not SOCKS5', reply: undefined });
    expect(parseGreeting(Buffer.from('GET / HTTP/1.1\r\n'))).toMatchObject({ status: 'invalid', reply: undefined });
    expect(parseGreeting(bytes(5, 0))).toMatchObject({ status: 'invalid', reason: 'the greeting offers no authentication method' });
  });
});

describe('parseRequest', () => {
  it('reads CONNECT to IPv4, IPv6 and domain names', () => {
    expect(parseRequest(connect(1, [10, 0, 0, 1], 8080))).toEqual({ status: 'done', value: { addressType: 'ipv4', host: '10.0.0.1', port: 8080 }, length: 10 });
    expect(parseRequest(connect(4, [0xfd, 0, ...new Array<number>(13).fill(0), 1], 443))).toEqual({ status: 'done', value: { addressType: 'ipv6', host: 'fd00::1', port: 443 }, length: 22 });
    const name = 'reviews.default.svc.cluster.local';
    expect(parseRequest(connect(3, [name.length, ...Buffer.from(name)], 9080))).toEqual({ status: 'done', value: { addressType: 'domain', host: name, port: 9080 }, length: 7 + name.length });
  });

  it('maps an IPv4-mapped IPv6 destination to IPv4', () => {
    expect(parseRequest(connect(4, [...new Array<number>(10).fill(0), 255, 255, 127, 0, 0, 1]))).toMatchObject({ value: { host: '127.0.0.1' } });
  });

  it('leaves bytes after the request (optimistic data) to the caller', () => {
    expect(parseRequest(Buffer.concat([connect(1, [1, 2, 3, 4]), Buffer.from('hello')]))).toMatchObject({ status: 'done', length: 10 });
  });

  it('waits for every truncated prefix', () => {
    const whole = connect(3, [3, 97, 98, 99]);
    for (let n = 0; n < whole.length; n++) expect(parseRequest(whole.subarray(0, n))).toEqual({ status: 'incomplete' });
  });

  const refusals: [string, Buffer, string, number][] = [
    ['BIND', bytes(5, 2, 0, 1, 1, 2, 3, 4, 0, 80), 'command 2 is not supported (only CONNECT)', Reply.commandNotSupported],
    ['UDP ASSOCIATE', bytes(5, 3, 0, 1), 'command 3 is not supported (only CONNECT)', Reply.commandNotSupported],
    ['address type 2', bytes(5, 1, 0, 2, 0, 0), 'address type 2 is not supported (IPv4 1, domain name 3, IPv6 4)', Reply.addressTypeNotSupported],
    ['an empty domain name', bytes(5, 1, 0, 3, 0, 0, 80), 'the domain name is empty', Reply.hostUnreachable],
    ['a domain name with a NUL', connect(3, [3, 97, 0, 98]), '"a\\u0000b" is not a host name', Reply.hostUnreachable],
    ['a domain name with a space', connect(3, [3, 97, 32, 98]), '"a b" is not a host name', Reply.hostUnreachable],
    ['port 0', connect(1, [1, 2, 3, 4], 0), 'port 0 cannot be connected to', Reply.hostUnreachable],
    ['version 4', bytes(4, 1, 0, 1), 'version 4 is not SOCKS5', Reply.generalFailure],
  ];

  it.each(refusals)('refuses %s with the RFC 1928 reply', (_, input, reason, reply) => {
    expect(parseRequest(input)).toEqual({ status: 'invalid', reason, reply });
  });
});

describe('encodeReply', () => {
  it('carries the bound address, IPv4 or IPv6, or 0.0.0.0:0', () => {
    expect([...encodeReply(Reply.succeeded, { ip: '10.0.0.1', port: 0x1f90 })]).toEqual([5, 0, 0, 1, 10, 0, 0, 1, 0x1f, 0x90]);
    expect([...encodeReply(Reply.succeeded, { ip: 'fd00::1', port: 1 })]).toEqual([5, 0, 0, 4, 0xfd, ...new Array<number>(14).fill(0), 1, 0, 1]);
    expect([...encodeReply(Reply.connectionRefused)]).toEqual([5, 5, 0, 1, 0, 0, 0, 0, 0, 0]);
  });
});

describe('the parsers on arbitrary bytes', () => {
  it('never throw, never read past the input, and decide within the maximum message size', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (input) => {
        const buffer = Buffer.from(input);
        for (const [parse, max] of [
          [parseGreeting, MAX_GREETING_BYTES],
          [parseRequest, MAX_REQUEST_BYTES],
        ] as const) {
          const result = parse(buffer);
          if (result.status === 'done') expect(result.length).toBeLessThanOrEqual(Math.min(buffer.length, max));
          if (result.status === 'incomplete') expect(buffer.length).toBeLessThan(max);
        }
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it('read back every well-formed request, whatever follows it', () => {
    const host = fc.oneof(
      fc.ipV4().map((ip) => ({ atyp: 1, address: ip.split('.').map(Number), text: ip })),
      fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\.[a-z0-9]{1,10}){0,4}$/).map((name) => ({ atyp: 3, address: [name.length, ...Buffer.from(name)], text: name })),
    );
    fc.assert(
      fc.property(host, fc.integer({ min: 1, max: 65535 }), fc.uint8Array({ maxLength: 32 }), ({ atyp, address, text }, port, trailing) => {
        const request = connect(atyp, address, port);
        const result = parseRequest(Buffer.concat([request, trailing]));
        expect(result).toEqual({ status: 'done', value: { addressType: atyp === 1 ? 'ipv4' : 'domain', host: text, port }, length: request.length });
      }),
      { numRuns: RUNS },
    );
  });
});
