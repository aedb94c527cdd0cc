/**
 * Who is calling: derived once per request at the gateway from a verified credential, never from
 * client headers, and passed to subgraphs signed (core/principal-signature.ts).
 */
export interface Principal {
  tenant: string;
  subject: string;
  /** The API key's id (never the key itself), when a key was used. */
  keyId?: string;
  roles: string[];
  scopes: string[];
}
