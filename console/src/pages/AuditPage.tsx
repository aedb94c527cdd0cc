import { useEffect, useState } from 'react';
import { api, type AuditEntry } from '../api';
import { ErrorNote, when } from './parts';

const ACTIONS = ['', 'login', 'login-failed', 'logout', 'access-request.create', 'access-request.approve', 'access-request.reject', 'access-request.revoke', 'policy.version', 'user.create', 'login-throttled', 'schema.publish', 'schema.rollback', 'schema.promote', 'schema.lifecycle'];

export function AuditPage() {
  const [action, setAction] = useState('');
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setEntries(null);
    api.audit({ action: action || undefined }).then(setEntries, (e: Error) => setError(e.message));
  }, [action]);

  const more = async () => {
    const last = entries?.[entries.length - 1];
    if (!last) return;
    const next = await api.audit({ action: action || undefined, beforeId: last.id });
    setEntries([...(entries ?? []), ...next]);
  };

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Audit log</h1>
          <p className="muted">Append-only: every sign-in, request, decision and policy version, with who, when and from where.</p>
        </div>
        <label className="inline">
          Action
          <select value={action} onChange={(e) => setAction(e.target.value)}>
            {ACTIONS.map((a) => <option key={a} value={a}>{a || 'all actions'}</option>)}
          </select>
        </label>
      </div>
      {error && <ErrorNote message={error} />}
      {entries && (
        <div className="card">
          <table className="fields audit">
            <thead>
              <tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Tenant</th><th scope="col">From</th><th scope="col">Details</th></tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td className="num muted">{e.id}</td>
                  <td className="nowrap">{when(e.at)}</td>
                  <td className="mono">{e.actor}</td>
                  <td><span className={`pill action ${e.action.replace(/\./g, '-')}`}>{e.action}</span></td>
                  <td className="mono small">{e.target ?? ''}</td>
                  <td>{e.tenant ?? ''}</td>
                  <td className="mono small">{e.ip ?? ''}</td>
                  <td className="mono small details">{e.details ? JSON.stringify(e.details) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {entries.length === 0 && <p className="empty">No entries.</p>}
          {entries.length >= 100 && <button type="button" className="ghost" onClick={more}>Older entries</button>}
        </div>
      )}
    </div>
  );
}
