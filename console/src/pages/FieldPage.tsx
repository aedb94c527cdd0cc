import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, tenantsOf, type Catalog, type Field, type User } from '../api';
import { AccessBadge, ErrorNote } from './parts';

export function FieldPage({ user }: { user: User }) {
  const coordinate = decodeURIComponent(useParams().coordinate ?? '');
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = () => api.catalog().then(setCatalog, (e: Error) => setError(e.message));
  useEffect(() => {
    void load();
  }, [coordinate]);

  const type = catalog?.types.find((t) => t.name === coordinate.split('.')[0]);
  const field: Field | undefined = type?.fields.find((f) => f.coordinate === coordinate);
  const tenant = catalog?.tenant ?? tenantsOf(user)[0];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!tenant) return;
    setBusy(true);
    setError(null);
    try {
      const request = await api.requestAccess(tenant, [coordinate], reason);
      setSent(request.id);
      await load();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page narrow">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/catalog">Catalog</Link> <span aria-hidden="true">›</span> <span className="mono">{type?.name ?? coordinate.split('.')[0]}</span>
      </nav>
      {error && <ErrorNote message={error} />}
      {catalog && !field && <p className="empty">The live schema has no field {coordinate}.</p>}
      {field && (
        <>
          <div className="page-head">
            <div>
              <h1 className="mono">{field.coordinate}</h1>
              <p className="mono muted">{field.name}{field.args.length ? `(${field.args.map((a) => `${a.name}: ${a.type}`).join(', ')})` : ''}: {field.type}</p>
            </div>
            {field.access && <AccessBadge access={field.access} />}
          </div>
          <div className="card">
            <dl className="facts">
              <dt>Description</dt>
              <dd>{field.description ?? <span className="muted">none</span>}</dd>
              <dt>Subgraph</dt>
              <dd>{field.subgraph ?? '—'}{field.owner ? <span className="muted"> · owned by {field.owner}</span> : null}</dd>
              <dt>Deprecation</dt>
              <dd>{field.deprecationReason ? <span className="pill deprecated">{field.deprecationReason}</span> : <span className="muted">not deprecated</span>}</dd>
              <dt>Requests, last 7 days</dt>
              <dd>
                {field.usage7d.count.toLocaleString()}
                {field.usage7d.clients.length > 0 && <span className="muted"> · {field.usage7d.clients.map((c) => `${c.client} (${c.count})`).join(', ')}</span>}
              </dd>
            </dl>
            {field.args.length > 0 && (
              <>
                <h2>Arguments</h2>
                <table className="fields">
                  <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Default</th><th scope="col">Description</th></tr></thead>
                  <tbody>
                    {field.args.map((a) => (
                      <tr key={a.name}><td className="mono">{a.name}</td><td className="mono muted">{a.type}</td><td className="mono">{a.defaultValue === null ? '—' : JSON.stringify(a.defaultValue)}</td><td>{a.description ?? '—'}</td></tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </div>
          {field.access === 'request-access' && tenant && (
            <form className="card request" onSubmit={submit} aria-labelledby="request-title">
              <h2 id="request-title">Request access for {tenant}</h2>
              <p className="muted">Your tenant may not query this field yet. The owning team ({field.owner ?? 'a platform admin'}) decides; once approved, your tenant's API keys can query it within seconds.</p>
              <label>
                Why does {tenant} need it?
                <textarea name="reason" required minLength={3} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. Support replies to customers by e-mail" />
              </label>
              <button type="submit" className="primary" disabled={busy || reason.trim().length < 3}>{busy ? 'Sending…' : 'Request access'}</button>
            </form>
          )}
          {(sent || field.access === 'pending') && (
            <p className="notice" role="status">
              Access requested{sent ? <> (request <span className="mono">{sent}</span>)</> : null}. Follow it in <Link to="/requests">Access requests</Link>.
            </p>
          )}
          {field.access === 'allowed' && <p className="notice ok" role="status">Your tenant may query this field.</p>}
        </>
      )}
    </div>
  );
}
