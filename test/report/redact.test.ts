import { describe, expect, it } from 'vitest';
import { makeRedactor } from '../../src/run/redact.js';

describe('makeRedactor', () => {
  it('replaces every occurrence of each secret value, longest first', () => {
    const r = makeRedactor(['abc', 'abcdef', 'p@ss word'], []);
    expect(r.text('key=abcdef then abc and abc')).toBe('key=*** then *** and ***');
    expect(r.text('user p@ss word and p%40ss%20word')).toBe('user *** and ***'); // URL-encoded too
    expect(r.text('nothing here')).toBe('nothing here');
  });

  it('treats regex characters in secrets literally and ignores empty secrets', () => {
    const r = makeRedactor(['a.b*c', ''], []);
    expect(r.text('a.b*c axbbc')).toBe('*** axbbc');
  });

  it('redacts values of secret headers written in text, and bearer tokens and JWTs of anyone', () => {
    const r = makeRedactor([], ['x-session']);
    expect(r.text('Authorization: Bearer abc.def')).toBe('Authorization: ***');
    expect(r.text('sent x-api-key=k123&x=1')).toBe('sent x-api-key=***&x=1');
    expect(r.text('{"X-Session":"s-99","ok":true}')).toBe('{"X-Session":"***","ok":true}');
    expect(r.text('got Bearer tok_9f8e7d6c back')).toBe('got Bearer *** back');
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    expect(r.text(`token ${jwt} expired`)).toBe('token *** expired');
  });

  it('redacts secret headers in a header map, case-insensitively, and passes other values through text()', () => {
    const r = makeRedactor(['s3cret'], ['X-Custom-Token']);
    const h = {
      Authorization: 'Basic dXNlcjpwYXNz',
      cookie: 'sid=1',
      'set-cookie': ['a=1', 'b=2'],
      'x-custom-token': 'zzz',
      'X-Api-Key': 'k',
      accept: 'application/json',
      referer: 'https://x.test/?k=s3cret',
      missing: undefined,
    };
    expect(r.headers(h)).toEqual({
      Authorization: '***',
      cookie: '***',
      'set-cookie': ['***', '***'],
      'x-custom-token': '***',
      'X-Api-Key': '***',
      accept: 'application/json',
      referer: 'https://x.test/?k=***',
      missing: undefined,
    });
    expect(h.Authorization).toBe('Basic dXNlcjpwYXNz'); // the input is not changed
  });
});
