/** Who is calling: derived once per request from a verified credential, never from client headers. */
export interface Principal {
  tenant: string;
  subject: string;
  /** The API key's id (never the key itself), when a key was used. */
  keyId?: string;
  roles: string[];
  scopes: string[];
}

/** The principal of an unauthenticated request when no tenants are configured. */
export const ANONYMOUS: Principal = Object.freeze({ tenant: 'anonymous', subject: 'anonymous', roles: [], scopes: [] }) as Principal;
