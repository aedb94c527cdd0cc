import type { Principal } from '../../core/principal';

export type { Principal } from '../../core/principal';

/** The principal of an unauthenticated request when no tenants are configured. */
export const ANONYMOUS: Principal = Object.freeze({ tenant: 'anonymous', subject: 'anonymous', roles: [], scopes: [] }) as Principal;
