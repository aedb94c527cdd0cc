import type { AccessRequest, Field } from '../api';

export function AccessBadge({ access }: { access: Field['access'] }) {
  if (access === 'allowed') return <span className="pill ok">allowed</span>;
  if (access === 'pending') return <span className="pill pending">requested</span>;
  if (access === 'request-access') return <span className="pill locked">request access</span>;
  return null;
}

export function StatusPill({ status }: { status: AccessRequest['status'] }) {
  return <span className={`pill status-${status}`}>{status}</span>;
}

export function ErrorNote({ message }: { message: string }) {
  return <p className="error" role="alert">{message}</p>;
}

export function when(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '';
}
