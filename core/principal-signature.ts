/**
 * How subgraphs know a request came from the gateway, and for whom: the gateway sends the principal
 * (tenant, subject, roles, scopes) in a header and signs it together with the request body and a
 * timestamp (HMAC-SHA256 with a secret the two share). Subgraphs refuse a request whose signature is
 * missing, wrong, older than the replay window, or already seen (a replay).
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import { loadOrCreateSecret } from './atomic-file';
import { readBody, sendJson } from './http';
import type { Principal } from './principal';

export const PRINCIPAL_HEADER = 'x-charter-principal';
export const SIGNATURE_HEADER = 'x-charter-signature';

/** The principal as it travels to subgraphs. */
export type SignedPrincipal = Principal;

const encoded = new WeakMap<SignedPrincipal, string>();

/** The principal header; principals are immutable per request, so each is encoded once. */
export function encodePrincipal(principal: SignedPrincipal): string {
  let header = encoded.get(principal);
  if (header === undefined) {
    header = Buffer.from(JSON.stringify(principal)).toString('base64url');
    encoded.set(principal, header);
  }
  return header;
}

// A nonce only has to be unique within the replay window: a random prefix per process and a
// counter are, and cost far less than random bytes on every subgraph call.
const NONCE_PREFIX = crypto.randomBytes(9).toString('base64url');
let nonceCounter = 0;

/** `t=<ms>,n=<nonce>,v1=<hex hmac>` over timestamp, nonce, principal header and body digest. */
export function signRequest(secret: string, principalHeader: string, body: string | Buffer, now = Date.now()): string {
  const nonce = `${NONCE_PREFIX}${(nonceCounter++).toString(36)}`;
  return `t=${now},n=${nonce},v1=${mac(secret, now, nonce, principalHeader, body)}`;
}

const keys = new Map<string, crypto.KeyObject>();

function mac(secret: string, timestamp: number, nonce: string, principalHeader: string, body: string | Buffer): string {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.createSecretKey(Buffer.from(secret));
    keys.set(secret, key);
  }
  const bodyDigest = crypto.createHash('sha256').update(body).digest('hex');
  return crypto.createHmac('sha256', key).update(`${timestamp}.${nonce}.${principalHeader}.${bodyDigest}`).digest('hex');
}

export type VerifyOutcome = { ok: true; principal: SignedPrincipal } | { ok: false; reason: string };

export interface VerifierOptions {
  secret: string;
  /** How far a signature's timestamp may be from now (default 60 s). */
  replayWindowMs?: number;
  now?: () => number;
}

/** A verifier remembering the nonces it accepted within the window, so a replayed call is refused. */
export function createPrincipalVerifier(options: VerifierOptions): (headers: Record<string, string | string[] | undefined>, body: string | Buffer) => VerifyOutcome {
  const windowMs = options.replayWindowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  return (headers, body) => {
    const principalHeader = headers[PRINCIPAL_HEADER];
    const signature = headers[SIGNATURE_HEADER];
    if (typeof principalHeader !== 'string' || typeof signature !== 'string') return { ok: false, reason: 'missing gateway signature' };
    const parts = Object.fromEntries(signature.split(',').map((p) => p.split('=', 2) as [string, string]));
    const timestamp = Number(parts.t);
    if (!Number.isFinite(timestamp) || !parts.n || !parts.v1) return { ok: false, reason: 'malformed gateway signature' };
    const at = now();
    if (Math.abs(at - timestamp) > windowMs) return { ok: false, reason: 'stale gateway signature' };
    const expected = mac(options.secret, timestamp, parts.n, principalHeader, body);
    const given = Buffer.from(parts.v1, 'hex');
    if (given.length !== 32 || !crypto.timingSafeEqual(given, Buffer.from(expected, 'hex'))) return { ok: false, reason: 'bad gateway signature' };
    if (seen.has(parts.n)) return { ok: false, reason: 'replayed gateway signature' };
    seen.set(parts.n, timestamp);
    if (seen.size > 10_000) for (const [n, t] of seen) if (at - t > windowMs) seen.delete(n);
    try {
      const principal = JSON.parse(Buffer.from(principalHeader, 'base64url').toString('utf8')) as SignedPrincipal;
      if (typeof principal.tenant !== 'string' || !Array.isArray(principal.roles) || !Array.isArray(principal.scopes)) throw new Error('shape');
      return { ok: true, principal };
    } catch {
      return { ok: false, reason: 'malformed principal' };
    }
  };
}

/**
 * The shared secret: `CHARTER_SUBGRAPH_SECRET`, else one generated once and kept (mode 0600) in the
 * data directory, so a gateway and subgraphs started from one checkout agree without setup.
 */
export function loadSubgraphSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.CHARTER_SUBGRAPH_SECRET || loadOrCreateSecret(dataDir, 'subgraph-secret');
}

export type GatewayRequestVerifier = (headers: http.IncomingHttpHeaders, body: Buffer) => VerifyOutcome;

/**
 * For a subgraph server: read the body (remembered for later readers), verify the gateway's
 * signature over it, and answer 401 when it fails. Returns the verified principal, or null when
 * the request has been answered.
 */
export async function admitGatewayRequest(req: http.IncomingMessage, res: http.ServerResponse, verify: GatewayRequestVerifier, maxBodyBytes: number, onRefused?: (reason: string) => void): Promise<Principal | null> {
  const body = req.method === 'POST' ? await readBody(req, maxBodyBytes) : Buffer.alloc(0);
  const verdict = verify(req.headers, body);
  if (verdict.ok) return verdict.principal;
  onRefused?.(verdict.reason);
  sendJson(res, 401, { errors: [{ message: `Unauthenticated: ${verdict.reason}`, extensions: { code: 'UNAUTHENTICATED' } }] });
  return null;
}
