/**
 * Console passwords, hashed with Node's scrypt (N=2^14, r=8, p=1, 16-byte salt, 32-byte key) and
 * compared in constant time. An unknown user is checked against a dummy hash, so a wrong name costs
 * the same time as a wrong password and the answer cannot tell them apart.
 */
import crypto from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

function scrypt(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => crypto.scrypt(password.normalize('NFKC'), salt, KEY_BYTES, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

const DUMMY = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEY_BYTES).toString('base64url')}`;

/** Whether `password` matches `stored`; with `stored` null (no such user) the same work is done and false returned. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? DUMMY).split('$');
  const [kind, n, r, p, salt, hash] = parts;
  if (parts.length !== 6 || kind !== 'scrypt') return false;
  const expected = Buffer.from(hash!, 'base64url');
  const key = await scrypt(password, Buffer.from(salt!, 'base64url'), Number(n), Number(r), Number(p));
  return stored !== null && expected.length === key.length && crypto.timingSafeEqual(expected, key);
}

/** A password for generated demo users: 18 random bytes, URL-safe. */
export function generatePassword(): string {
  return crypto.randomBytes(18).toString('base64url');
}
