import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, type Catalog } from '../api';
import { AccessBadge, ErrorNote } from './parts';

export function CatalogPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.catalog(q).then((c) => live && setCatalog(c), (e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [q]);

  useEffect(() => {
    const t = setTimeout(() => {
      if (draft !== q) setParams(draft ? { q: draft } : {}, { replace: true });
    }, 200);
    return () => clearTimeout(t);
  }, [draft, q, setParams]);

  const fieldCount = catalog?.types.reduce((n, t) => n + t.fields.length, 0) ?? 0;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Catalog</h1>
          <p className="muted">
            Variant <strong>{catalog?.variant ?? 'prod'}</strong>
            {catalog?.versionId ? <> · version {catalog.versionId}</> : null}
            {catalog?.tenant ? <> · as tenant <strong>{catalog.tenant}</strong></> : null}
          </p>
        </div>
        <form role="search" className="search" onSubmit={(e) => { e.preventDefault(); setParams(draft ? { q: draft } : {}); }}>
          <label className="sr-only" htmlFor="catalog-search">Search types, fields and descriptions</label>
          <input id="catalog-search" type="search" placeholder="Search types, fields, descriptions…" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </form>
      </div>
      {error && <ErrorNote message={error} />}
      {catalog && (
        <>
          <section aria-labelledby="subgraphs-title">
            <h2 id="subgraphs-title">Subgraphs</h2>
            <div className="grid">
              {catalog.subgraphs.map((s) => (
                <div className="card subgraph" key={s.name}>
                  <div className="row">
                    <strong>{s.name}</strong>
                    <span className={`pill ${s.status}`}>{s.status}</span>
                  </div>
                  <div className="muted small">{s.owner ? `owned by ${s.owner}` : 'no owner'}</div>
                  <div className="muted small">{s.version ? `version ${s.version}` : ''}{s.updatedAt ? ` · ${new Date(s.updatedAt).toLocaleString()}` : ''}</div>
                  {s.url && <div className="mono small">{s.url}</div>}
                </div>
              ))}
            </div>
          </section>
          <section aria-labelledby="types-title">
            <h2 id="types-title">Types and fields <span className="muted small">({fieldCount} fields{q ? ` matching “${q}”` : ''})</span></h2>
            {catalog.types.length === 0 && <p className="empty">Nothing matches “{q}”.</p>}
            {catalog.types.map((t) => (
              <div className="card type" key={t.name}>
                <div className="type-head">
                  <h3 className="mono">{t.name}</h3>
                  {t.description && <p className="muted">{t.description}</p>}
                </div>
                <table className="fields">
                  <thead>
                    <tr>
                      <th scope="col">Field</th>
                      <th scope="col">Type</th>
                      <th scope="col">Description</th>
                      <th scope="col">Subgraph</th>
                      <th scope="col" className="num">Requests (7 d)</th>
                      {catalog.tenant && <th scope="col">Access</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {t.fields.map((f) => (
                      <tr key={f.coordinate}>
                        <td>
                          <Link className="mono" to={`/fields/${encodeURIComponent(f.coordinate)}`}>{f.name}</Link>
                          {f.deprecationReason && <span className="pill deprecated" title={f.deprecationReason}>deprecated</span>}
                        </td>
                        <td className="mono muted">{f.type}</td>
                        <td>{f.description ?? <span className="muted">—</span>}</td>
                        <td>{f.subgraph ?? '—'}</td>
                        <td className="num">{f.usage7d.count.toLocaleString()}</td>
                        {catalog.tenant && <td><AccessBadge access={f.access} /></td>}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
          </section>
        </>
      )}
      {!catalog && !error && <p className="muted" aria-busy="true">Loading the catalog…</p>}
    </div>
  );
}
