/**
 * The request guard and token matching, unit by unit: Host forms an attacker might try (userinfo,
 * paths, look-alike names), Origin forms (opaque, other port, other scheme), body types, and that
 * a token is found only by its exact secret whatever the order of the configured tokens.
 */
import type http from 'node:http';
import { CharterError } from '../../core/errors';
import { checkScope, expandScopes } from './actor';
import { matchRegistryToken, sha256Hex, type RegistryToken } from './registry-tokens';
import { checkBodyType, checkHost, checkOrigin, hostnameOf, isLoopbackHostname } from './request-guard';

const req = (headers: http.IncomingHttpHeaders, method = 'GET'): http.IncomingMessage => ({ headers, method }) as http.IncomingMessage;
const codeOf = (fn: () => void): string | null => {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof CharterError ? err.code : 'THREW';
  }
};

test('Host: loopback names, IP literals and configured names pass; rebound and malformed names do not', () => {
  for (const host of ['localhost:4001', '127.0.0.1:4001', '[::1]:4001', 'app.localhost', '10.1.2.3:4001', '[fd00::1]:80']) expect(codeOf(() => checkHost(req({ host })))).toBeNull();
  expect(codeOf(() => checkHost(req({ host: 'registry.internal:4001' }), { allowedHosts: ['registry.internal'] }))).toBeNull();
  for (const host of ['evil.example', 'localhost.evil.example', '127.0.0.1.nip.io', 'user@127.0.0.1', '127.0.0.1/x', '', 'localhost:4001 evil']) {
    expect({ host, code: codeOf(() => checkHost(req({ host }))) }).toEqual({ host, code: 'UNTRUSTED_HOST' });
  }
  expect(codeOf(() => checkHost(req({})))).toBe('UNTRUSTED_HOST');
  expect(hostnameOf('LOCALHOST:1')).toBe('localhost');
  expect(isLoopbackHostname('127.255.0.9')).toBe(true);
  expect(isLoopbackHostname('128.0.0.1')).toBe(false);
});

test('Origin: absent or same host:port passes; anything else is UNTRUSTED_ORIGIN unless configured', () => {
  expect(codeOf(() => checkOrigin(req({ host: 'localhost:4001' })))).toBeNull();
  expect(codeOf(() => checkOrigin(req({ host: 'localhost:4001', origin: 'http://localhost:4001' })))).toBeNull();
  for (const origin of ['http://localhost:4000', 'https://evil.example', 'null', 'file://', 'chrome-extension://abc', 'garbage']) {
    expect({ origin, code: codeOf(() => checkOrigin(req({ host: 'localhost:4001', origin }))) }).toEqual({ origin, code: 'UNTRUSTED_ORIGIN' });
  }
  expect(codeOf(() => checkOrigin(req({ host: 'localhost:4001', origin: 'https://console.example' }), { allowedOrigins: ['https://console.example'] }))).toBeNull();
});

test('Body type: writes need JSON (or YAML); reads without a body need nothing', () => {
  expect(codeOf(() => checkBodyType(req({}, 'GET')))).toBeNull();
  expect(codeOf(() => checkBodyType(req({}, 'DELETE')))).toBeNull();
  expect(codeOf(() => checkBodyType(req({ 'content-type': 'application/json; charset=utf-8' }, 'POST')))).toBeNull();
  expect(codeOf(() => checkBodyType(req({ 'content-type': 'application/yaml' }, 'POST')))).toBeNull();
  expect(codeOf(() => checkBodyType(req({}, 'POST')))).toBe('UNSUPPORTED_MEDIA_TYPE');
  expect(codeOf(() => checkBodyType(req({ 'content-type': 'text/plain' }, 'PUT')))).toBe('UNSUPPORTED_MEDIA_TYPE');
  expect(codeOf(() => checkBodyType(req({ 'content-type': 'text/plain', 'content-length': '5' }, 'DELETE')))).toBe('UNSUPPORTED_MEDIA_TYPE');
});

test('a token is matched only by its exact secret, whichever position it has', () => {
  const tokens: RegistryToken[] = ['a', 'b', 'c'].map((s, i) => ({ id: `t${i}`, tokenSha256: sha256Hex(`secret-${s}`), scopes: ['read'] }));
  expect(matchRegistryToken(tokens, 'secret-c')).toEqual({ kind: 'token', id: 't2', scopes: ['read'] });
  expect(matchRegistryToken(tokens, 'secret-c ')).toBeNull();
  expect(matchRegistryToken(tokens, sha256Hex('secret-a'))).toBeNull(); // the stored hash is not a credential
  expect(matchRegistryToken([], 'secret-a')).toBeNull();
});

test('scopes: admin implies all, publish implies read, report-usage stands alone', () => {
  expect([...expandScopes(['admin'])].sort()).toEqual(['admin', 'publish', 'read', 'report-usage']);
  expect([...expandScopes(['publish'])].sort()).toEqual(['publish', 'read']);
  expect(checkScope({ kind: 'token', id: 'g', scopes: ['report-usage'] }, 'read')).toEqual({ ok: false, reason: 'this action needs the "read" scope; this credential has scopes "report-usage"' });
  expect(checkScope({ kind: 'token', id: 'ci', scopes: ['publish'], subgraphs: ['books'] }, 'publish', { subgraph: 'books' })).toEqual({ ok: true });
  expect(checkScope({ kind: 'token', id: 'root', scopes: ['admin'], subgraphs: ['books'] }, 'publish', { subgraph: 'reviews' })).toEqual({ ok: true });
  expect(checkScope({ kind: 'insecure-dev' }, 'admin')).toEqual({ ok: true });
});
