/**
 * What the console keeps in the registry's stores: users (password hashes only), sessions (by the
 * SHA-256 of the cookie, never the cookie), access requests and the append-only audit log.
 */

/** A console role. Team owners own the subgraphs whose `owner` is their team; tenant roles name one tenant. */
export type ConsoleRole =
  | { role: 'platform-admin' }
  | { role: 'team-owner'; team: string }
  | { role: 'tenant-admin'; tenant: string }
  | { role: 'tenant-member'; tenant: string };

export interface ConsoleUser {
  /** Lower-case sign-in name, also the record id. */
  username: string;
  displayName?: string;
  /** `scrypt$N$r$p$<salt b64>$<hash b64>` (passwords.ts); never sent out of the registry. */
  passwordHash: string;
  roles: ConsoleRole[];
  createdAt: string;
}

export interface ConsoleSession {
  /** SHA-256 (hex) of the cookie value: a copy of the store does not give anyone a session. */
  id: string;
  username: string;
  /** Sent back in `x-csrf-token` on every state change (double submit, checked on the server). */
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export type AccessRequestStatus = 'pending' | 'approved' | 'rejected' | 'revoked';

export interface AccessRequest {
  id: string;
  variant: string;
  tenant: string;
  /** `Type.field` coordinates asked for. */
  coordinates: string[];
  reason: string;
  requestedBy: string;
  createdAt: string;
  status: AccessRequestStatus;
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
  /** The tenant version the approval (or the revocation) wrote. */
  policyVersion?: number;
  revokedBy?: string;
  revokedAt?: string;
  revokedPolicyVersion?: number;
  /** Each coordinate's rule before the approval (null: none), restored by a revocation. */
  previousRules?: Record<string, unknown>;
}

export interface AuditDraft {
  /** Who: `user:ada`, `token:ci`, or the name tried at a failed sign-in (`anonymous`). */
  actor: string;
  /** What: `login`, `login-failed`, `logout`, `access-request.create`, `access-request.approve`, … */
  action: string;
  /** What it was done to (`access-request:…`, `tenant:globex`, `user:bob`). */
  target?: string;
  /** The tenant concerned, so tenant admins see their tenant's entries and no one else's. */
  tenant?: string;
  /** From where: the client address. */
  ip?: string;
  details?: Record<string, unknown>;
}

export interface AuditEntry extends AuditDraft {
  /** Monotonic from 1. */
  id: number;
  at: string;
}

/** The record kinds kept with compare-and-set. */
export interface ConsoleRecords {
  users: ConsoleUser;
  sessions: ConsoleSession;
  requests: AccessRequest;
}
export type ConsoleKind = keyof ConsoleRecords;
export const CONSOLE_KINDS: readonly ConsoleKind[] = ['users', 'sessions', 'requests'];
