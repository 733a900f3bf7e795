import { describe, expect, it } from 'vitest';
import { ParseError, ResponseParser, type ParsedResponse } from './response-parser.js';

function parse(
  chunks: Array<string | Buffer>,
  heads: boolean[] = [],
  end = false,
): { got: ParsedResponse[]; endedClean?: boolean } {
  const got: ParsedResponse[] = [];
  let i = 0;
  const p = new ResponseParser(
    () => heads[i] ?? false,
    (r) => {
      got.push(r);
      i++;
    },
  );
  for (const c of chunks) p.feed(Buffer.isBuffer(c) ? c : Buffer.from(c, 'latin1'));
  return end ? { got, endedClean: p.end() } : { got };
}

/** Every way to cut a byte string in two. */
function splits(s: string): Array<[string, string]> {
  return Array.from({ length: s.length - 1 }, (_, i) => [s.slice(0, i + 1), s.slice(i + 1)]);
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
const CHUNKED =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n';

describe('ResponseParser', () => {
  it('keeps a partial head safe when the caller reuses its read buffer (net onread)', () => {
    const shared = Buffer.alloc(256);
    const got: ParsedResponse[] = [];
    const p = new ResponseParser(
      () => false,
      (r) => got.push(r),
    );
    const feed = (text: string): void => {
      shared.fill(0x58); // the next read overwrites the previous bytes
      const n = shared.write(text, 'latin1');
      p.feed(shared.subarray(0, n));
    };
    for (const [a, b] of splits(OK + OK)) {
      got.length = 0;
      feed(a);
      feed(b);
      expect(
        got.map((r) => r.status),
        JSON.stringify([a, b]),
      ).toEqual([200, 200]);
    }
  });

  it('reads a content-length response, split at every byte', () => {
    for (const [a, b] of splits(OK)) {
      const { got } = parse([a, b]);
      expect(got, JSON.stringify([a, b])).toEqual([
        { status: 200, bodyBytes: 2, wireBytes: OK.length, keepAlive: true, cache: undefined },
      ]);
    }
  });

  it('reads chunked bodies split anywhere, including inside the chunk-size line and trailers', () => {
    for (const [a, b] of splits(CHUNKED)) {
      const { got } = parse([a, b]);
      expect(got).toHaveLength(1);
      expect(got[0]?.bodyBytes).toBe(9);
      expect(got[0]?.wireBytes).toBe(CHUNKED.length);
    }
  });

  it('reads pipelined responses arriving in one packet', () => {
    const { got } = parse([OK + CHUNKED + OK]);
    expect(got.map((r) => r.bodyBytes)).toEqual([2, 9, 2]);
  });

  it('skips 1xx interim responses and has no body for HEAD, 204 and 304', () => {
    const { got } = parse(
      [
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
        'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n',
        'HTTP/1.1 204 No Content\r\n\r\n',
        'HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n',
        OK,
      ],
      [false, true, false, false, false],
    );
    expect(got.map((r) => [r.status, r.bodyBytes])).toEqual([
      [200, 2],
      [200, 0],
      [204, 0],
      [304, 0],
      [200, 2],
    ]);
  });

  it('reads a body without length until the connection closes, and says when a response was cut short', () => {
    const untilClose = parse(['HTTP/1.1 200 OK\r\n\r\nhello', ' world'], [], true);
    expect(untilClose.got).toEqual([expect.objectContaining({ status: 200, bodyBytes: 11, keepAlive: false })]);
    const cut = parse(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhal'], [], true);
    expect(cut.got).toEqual([]);
    expect(cut.endedClean).toBe(false);
  });

  it('notes connection close, HTTP/1.0 and cache headers', () => {
    const { got } = parse([
      'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX-Cache: HIT from cdn\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nCF-Cache-Status: MISS\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nAge: 12\r\nContent-Length: 0\r\n\r\n',
    ]);
    expect(got.map((r) => [r.keepAlive, r.cache])).toEqual([
      [false, undefined],
      [false, undefined],
      [true, 'hit'],
      [true, 'miss'],
      [true, 'hit'],
    ]);
  });

  it('throws on garbage, a bad chunk size and oversized headers', () => {
    expect(() => parse(['garbage bytes\r\n\r\n'])).toThrow(ParseError);
    expect(() => parse(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'])).toThrow(/bad chunk size/);
    expect(() => parse(['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'])).toThrow(/Content-Length/);
    expect(() => parse([`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(70_000)}`])).toThrow(/larger than/);
  });
});
