import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, isAdmin, teamsOf, type AccessRequest, type User } from '../api';
import { ErrorNote, StatusPill, when } from './parts';

const FILTERS = ['pending', 'approved', 'rejected', 'revoked', ''] as const;

export function RequestsPage({ user }: { user: User }) {
  const [status, setStatus] = useState<(typeof FILTERS)[number]>('pending');
  const [requests, setRequests] = useState<AccessRequest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [comments, setComments] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const mayDecide = isAdmin(user) || teamsOf(user).length > 0;

  const load = () => api.requests(status || undefined).then(setRequests, (e: Error) => setError(e.message));
  useEffect(() => {
    setRequests(null);
    void load();
  }, [status]);

  const decide = async (id: string, decision: 'approve' | 'reject' | 'revoke') => {
    setBusy(id);
    setError(null);
    try {
      await api.decide(id, decision, comments[id] ?? '');
      await load();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Access requests</h1>
          <p className="muted">{mayDecide ? 'Requests for fields you own (or all, as a platform admin). An approval writes a new version of the tenant’s policy.' : 'Your tenant’s requests and their decisions.'}</p>
        </div>
        <div className="tabs" role="tablist" aria-label="Filter by status">
          {FILTERS.map((f) => (
            <button key={f || 'all'} role="tab" type="button" aria-selected={status === f} className={status === f ? 'tab active' : 'tab'} onClick={() => setStatus(f)}>
              {f || 'all'}
            </button>
          ))}
        </div>
      </div>
      {error && <ErrorNote message={error} />}
      {requests && requests.length === 0 && <p className="empty">No {status || ''} requests.</p>}
      <ul className="requests" aria-label="Access requests">
        {requests?.map((r) => (
          <li className="card" key={r.id} data-request={r.id}>
            <div className="row">
              <div>
                <strong>{r.tenant}</strong> asks for {r.coordinates.map((c) => <Link key={c} className="mono chip" to={`/fields/${encodeURIComponent(c)}`}>{c}</Link>)}
              </div>
              <StatusPill status={r.status} />
            </div>
            <blockquote>{r.reason}</blockquote>
            <div className="muted small">
              {r.requestedBy} · {when(r.createdAt)} · <span className="mono">{r.id}</span>
              {r.decidedBy && <> · {r.status === 'rejected' ? 'rejected' : 'approved'} by {r.decidedBy} {when(r.decidedAt)}</>}
              {r.policyVersion !== undefined && <> · policy version {r.policyVersion}</>}
              {r.revokedPolicyVersion !== undefined && <> · revoked in version {r.revokedPolicyVersion}</>}
              {r.comment && <> · “{r.comment}”</>}
            </div>
            {mayDecide && (r.status === 'pending' || r.status === 'approved') && (
              <div className="decide">
                <label className="sr-only" htmlFor={`comment-${r.id}`}>Comment</label>
                <input id={`comment-${r.id}`} placeholder="Comment (optional)" value={comments[r.id] ?? ''} onChange={(e) => setComments({ ...comments, [r.id]: e.target.value })} />
                {r.status === 'pending' ? (
                  <>
                    <button type="button" className="primary" disabled={busy === r.id} onClick={() => decide(r.id, 'approve')}>Approve</button>
                    <button type="button" className="danger" disabled={busy === r.id} onClick={() => decide(r.id, 'reject')}>Reject</button>
                  </>
                ) : (
                  <button type="button" className="danger" disabled={busy === r.id} onClick={() => decide(r.id, 'revoke')}>Revoke</button>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
