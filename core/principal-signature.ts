/**
 * How subgraphs know a request came from the gateway, and for whom: the gateway sends the principal
 * (tenant, subject, roles, scopes) in a header and signs it bound to the request it travels with —
 * method, path and query string, the target subgraph and the body — with a timestamp and a nonce
 * (HMAC-SHA256 with a secret the two share). Subgraphs refuse a request whose signature is missing,
 * of an unknown format version or key, wrong for this request, older than the replay window, or
 * already seen (the nonce store is shared through Redis when there is one).
 *
 * Keys rotate without downtime: a secret "ring" (`new,old`) signs with its first secret and
 * accepts every secret in it; each signature names its key by a short id (see `secretRing`).
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import { loadOrCreateSecret } from './atomic-file';
import { readBody, sendJson } from './http';
import type { Principal } from './principal';

export const PRINCIPAL_HEADER = 'x-charter-principal';
export const SIGNATURE_HEADER = 'x-charter-signature';
/** The signing format; a verifier refuses any other. Bump it when the signed string changes. */
export const SIGNATURE_VERSION = '2';

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

/** What a signature is bound to, besides the principal. */
export interface SignedRequest {
  method: string;
  /** The subgraph (or backend) the request is for; a signature for one is refused by another. */
  audience: string;
  /** Path and query string exactly as sent (`/graphql?x=1`). */
  pathAndQuery: string;
  body: string | Buffer;
}

interface RingKey {
  id: string;
  key: crypto.KeyObject;
}

/** A parsed secret ring: sign with `current`, accept any key of `accepted` by id. */
export interface SecretRing {
  current: RingKey;
  accepted: ReadonlyMap<string, crypto.KeyObject>;
}

const rings = new Map<string, SecretRing>();

/**
 * A ring from its text form: secrets separated by commas, the first signs, all verify. Rotation:
 * append a new secret everywhere that verifies (`old,new`), then put it first where requests are
 * signed (`new,old`), then drop the old one (`new`); no request is refused at any step.
 */
export function secretRing(text: string): SecretRing {
  let ring = rings.get(text);
  if (!ring) {
    const secrets = ringSecrets(text).map((s) => s.replace(/^\+/, ''));
    if (secrets.length === 0) throw new Error('the subgraph signing secret is empty');
    const keys = secrets.map((secret) => ({ id: keyId(secret), key: crypto.createSecretKey(Buffer.from(secret)) }));
    ring = { current: keys[0]!, accepted: new Map(keys.map((k) => [k.id, k.key])) };
    rings.set(text, ring);
  }
  return ring;
}

function ringSecrets(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

/** A public name for a secret: enough to pick the key, nothing to learn the secret from. */
function keyId(secret: string): string {
  return crypto.createHash('sha256').update(`charter-signing-key:${secret}`).digest('hex').slice(0, 12);
}

// A nonce only has to be unique within the replay window: a random prefix per process and a
// counter are, and cost far less than random bytes on every subgraph call.
const NONCE_PREFIX = crypto.randomBytes(9).toString('base64url');
let nonceCounter = 0;

/** `v=2,k=<key id>,t=<ms>,n=<nonce>,s=<hex hmac>` over the request, principal, time and nonce. */
export function signRequest(secret: string, principalHeader: string, request: SignedRequest, now = Date.now()): string {
  const { current } = secretRing(secret);
  const nonce = `${NONCE_PREFIX}${(nonceCounter++).toString(36)}`;
  return `v=${SIGNATURE_VERSION},k=${current.id},t=${now},n=${nonce},s=${mac(current.key, now, nonce, principalHeader, request)}`;
}

function mac(key: crypto.KeyObject, timestamp: number, nonce: string, principalHeader: string, request: SignedRequest): string {
  const bodyDigest = crypto.createHash('sha256').update(request.body).digest('hex');
  const signed = `charter-v${SIGNATURE_VERSION}\n${request.method.toUpperCase()}\n${request.audience}\n${request.pathAndQuery}\n${timestamp}\n${nonce}\n${principalHeader}\n${bodyDigest}`;
  return crypto.createHmac('sha256', key).update(signed).digest('hex');
}

/**
 * Where accepted nonces are remembered for the replay window: in the process by default, in Redis
 * when several subgraph replicas must refuse a nonce that any of them has seen.
 */
export interface NonceStore {
  /** True the first time a nonce is claimed within `ttlMs`; false for a replay. */
  claim(nonce: string, ttlMs: number): boolean | Promise<boolean>;
}

export function createMemoryNonceStore(): NonceStore {
  const seen = new Map<string, number>();
  return {
    claim(nonce, ttlMs) {
      const at = Date.now();
      const until = seen.get(nonce);
      if (until !== undefined && until > at) return false;
      seen.set(nonce, at + ttlMs);
      if (seen.size > 10_000) for (const [n, expires] of seen) if (expires <= at) seen.delete(n);
      return true;
    },
  };
}

/** The subset of ioredis the Redis nonce store uses. */
export interface RedisSetNx {
  set(key: string, value: string, px: 'PX', ttl: number, nx: 'NX'): Promise<string | null>;
}

/** Nonces in Redis (`SET … PX … NX`), shared by every replica that verifies. */
export function createRedisNonceStore(redis: RedisSetNx, prefix = 'charter:nonce:'): NonceStore {
  return { claim: async (nonce, ttlMs) => (await redis.set(prefix + nonce, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK' };
}

export type VerifyOutcome = { ok: true; principal: SignedPrincipal } | { ok: false; reason: string };

export interface VerifierOptions {
  /** The secret ring (see `secretRing`). */
  secret: string;
  /** This subgraph's name, as the gateway knows it: signatures for another audience are refused. */
  audience: string;
  /** How far a signature's timestamp may be from now (default 60 s). */
  replayWindowMs?: number;
  nonces?: NonceStore;
  now?: () => number;
}

/** What a verifier checks: the request line as received, its headers and its body. */
export interface ReceivedRequest {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

export type GatewayRequestVerifier = (request: ReceivedRequest, body: Buffer | string) => Promise<VerifyOutcome>;

function parseSignature(signature: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of signature.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) parts[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return parts;
}

/** A verifier that refuses what is not signed for exactly this request, and replays. */
export function createPrincipalVerifier(options: VerifierOptions): GatewayRequestVerifier {
  const windowMs = options.replayWindowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const nonces = options.nonces ?? createMemoryNonceStore();
  const ring = secretRing(options.secret);
  return async (request, body) => {
    const principalHeader = request.headers[PRINCIPAL_HEADER];
    const signature = request.headers[SIGNATURE_HEADER];
    if (typeof principalHeader !== 'string' || typeof signature !== 'string') return { ok: false, reason: 'missing gateway signature' };
    const parts = parseSignature(signature);
    if (parts.v !== SIGNATURE_VERSION) return { ok: false, reason: 'unsupported gateway signature version' };
    const timestamp = Number(parts.t);
    if (!Number.isFinite(timestamp) || !parts.n || !parts.s || !parts.k) return { ok: false, reason: 'malformed gateway signature' };
    const key = ring.accepted.get(parts.k);
    if (!key) return { ok: false, reason: 'unknown gateway signing key' };
    if (Math.abs(now() - timestamp) > windowMs) return { ok: false, reason: 'stale gateway signature' };
    const expected = mac(key, timestamp, parts.n, principalHeader, { method: request.method ?? 'GET', audience: options.audience, pathAndQuery: request.url ?? '/', body });
    const given = Buffer.from(parts.s, 'hex');
    if (given.length !== 32 || !crypto.timingSafeEqual(given, Buffer.from(expected, 'hex'))) return { ok: false, reason: 'bad gateway signature' };
    let fresh: boolean;
    try {
      // Kept for twice the window: a timestamp may be up to one window in the future.
      fresh = await nonces.claim(`${parts.k}:${parts.n}`, 2 * windowMs);
    } catch {
      // Without the shared store a replay cannot be told from a first use: refuse (fail closed).
      return { ok: false, reason: 'replay check unavailable' };
    }
    if (!fresh) return { ok: false, reason: 'replayed gateway signature' };
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
 * The shared secret ring: `CHARTER_SUBGRAPH_SECRET`, else one generated once and kept (mode 0600) in
 * the data directory, so a gateway and subgraphs started from one checkout agree without setup.
 */
export function loadSubgraphSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.CHARTER_SUBGRAPH_SECRET || loadOrCreateSecret(dataDir, SUBGRAPH_SECRET_FILE);
}

export const SUBGRAPH_SECRET_FILE = 'subgraph-secret';

/**
 * For a subgraph server: read the body (remembered for later readers), verify the gateway's
 * signature over the request, and answer 401 when it fails. Returns the verified principal, or
 * null when the request has been answered.
 */
export async function admitGatewayRequest(req: http.IncomingMessage, res: http.ServerResponse, verify: GatewayRequestVerifier, maxBodyBytes: number, onRefused?: (reason: string) => void): Promise<Principal | null> {
  const body = req.method === 'POST' ? await readBody(req, maxBodyBytes) : Buffer.alloc(0);
  const verdict = await verify(req, body);
  if (verdict.ok) return verdict.principal;
  onRefused?.(verdict.reason);
  sendJson(res, 401, { errors: [{ message: `Unauthenticated: ${verdict.reason}`, extensions: { code: 'UNAUTHENTICATED' } }] });
  return null;
}

export type RotationStep = 'stage' | 'promote' | 'retire';

/**
 * One step of a rolling key rotation on a ring's text: `stage` appends a new secret marked `+`
 * (verifiers accept it, signers keep the old one), `promote` puts the staged one first (signers use
 * it), `retire` keeps only the first. Roll each step out to every process before the next.
 */
export function rotateSecretRing(text: string, step: RotationStep, fresh: () => string = () => crypto.randomBytes(32).toString('base64url')): string {
  const secrets = ringSecrets(text);
  if (secrets.length === 0) throw new Error('the subgraph signing secret is empty');
  const staged = secrets.find((s) => s.startsWith('+'));
  switch (step) {
    case 'stage':
      if (secrets.length > 1) throw new Error('a rotation is already under way: promote or retire it first');
      return [...secrets, `+${fresh()}`].join(',');
    case 'promote':
      if (!staged) throw new Error('nothing staged to promote: run the stage step first');
      return [staged.slice(1), ...secrets.filter((s) => s !== staged)].join(',');
    case 'retire':
      if (staged) throw new Error('the staged secret is not promoted yet: run the promote step first');
      return secrets[0]!;
    default:
      return step satisfies never;
  }
}
