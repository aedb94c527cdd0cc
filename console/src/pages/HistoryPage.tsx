import { useEffect, useState } from 'react';
import { api, VARIANT, type ChangelogEntry } from '../api';
import { ErrorNote, when } from './parts';

const CRITICALITY_CLASS: Record<string, string> = { BREAKING: 'locked', DANGEROUS: 'pending', SAFE: 'ok' };

export function HistoryPage() {
  const [versions, setVersions] = useState<ChangelogEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.versions().then(setVersions, (e: Error) => setError(e.message));
  }, []);

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Schema history</h1>
          <p className="muted">Every version of variant <strong>{VARIANT}</strong>, newest first, with the changes the registry's checks classified.</p>
        </div>
      </div>
      {error && <ErrorNote message={error} />}
      {versions?.length === 0 && <p className="empty">Nothing published yet.</p>}
      <ol className="requests" aria-label="Versions">
        {versions?.map((v) => (
          <li className="card" key={v.id}>
            <div className="row">
              <div>
                <strong>Version {v.id}</strong> · {v.action}
                {v.subgraph && <> of <span className="mono chip">{v.subgraph}</span></>}
                {v.author && <span className="muted"> by {v.author}</span>}
              </div>
              <span className="muted small">{when(v.createdAt)}</span>
            </div>
            {v.forced && <p className="notice">Forced by {v.forced.by}: “{v.forced.reason}”</p>}
            {v.changes.length === 0 ? (
              <p className="muted small">No schema changes.</p>
            ) : (
              <table className="fields">
                <thead><tr><th scope="col">Change</th><th scope="col">Coordinate</th><th scope="col">What</th></tr></thead>
                <tbody>
                  {v.changes.map((c, i) => (
                    <tr key={i}>
                      <td><span className={`pill ${CRITICALITY_CLASS[c.criticality] ?? ''}`}>{c.criticality.toLowerCase()}</span></td>
                      <td className="mono">{c.coordinate}</td>
                      <td>{c.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
