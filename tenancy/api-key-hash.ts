/**
 * API keys are stored and compared only as SHA-256 hashes (hex); a key names its tenant so a leaked
 * key is easy to attribute. Shared by the registry (which issues keys) and the gateway (which checks them).
 */
import crypto from 'node:crypto';

export function hashApiKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(tenant: string): string {
  return `ck_${tenant}_${crypto.randomBytes(18).toString('base64url')}`;
}
