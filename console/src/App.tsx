import { useEffect, useState } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { api, mayReadAudit, roleLabel, type User } from './api';
import { AuditPage } from './pages/AuditPage';
import { CatalogPage } from './pages/CatalogPage';
import { FieldPage } from './pages/FieldPage';
import { HistoryPage } from './pages/HistoryPage';
import { RequestsPage } from './pages/RequestsPage';
import { SignInPage } from './pages/SignInPage';

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const navigate = useNavigate();
  const location = useLocation();

  useEffect(() => {
    api.session().then(setUser, () => setUser(null));
  }, []);

  if (user === undefined) return <div className="splash" aria-busy="true">Loading…</div>;
  if (user === null) {
    return (
      <Routes>
        <Route path="/signin" element={<SignInPage onSignedIn={(u) => { setUser(u); navigate(new URLSearchParams(location.search).get('next') ?? '/catalog'); }} />} />
        <Route path="*" element={<Navigate to={`/signin?next=${encodeURIComponent(location.pathname)}`} replace />} />
      </Routes>
    );
  }

  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    setUser(null);
    navigate('/signin');
  };

  return (
    <div className="shell">
      <a className="skip" href="#main">Skip to content</a>
      <header className="topbar">
        <NavLink to="/catalog" className="brand" aria-label="Charter Console home">
          <span className="logo" aria-hidden="true">◆</span> Charter <span className="muted">Console</span>
        </NavLink>
        <nav aria-label="Main">
          <NavLink to="/catalog">Catalog</NavLink>
          <NavLink to="/history">Schema history</NavLink>
          <NavLink to="/requests">Access requests</NavLink>
          {mayReadAudit(user) && <NavLink to="/audit">Audit log</NavLink>}
        </nav>
        <div className="who">
          <span className="user" title={user.roles.map(roleLabel).join(', ')}>
            <strong>{user.username}</strong>
            <span className="muted small">{user.roles.map(roleLabel).join(' · ')}</span>
          </span>
          <button type="button" className="ghost" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/catalog" element={<CatalogPage />} />
          <Route path="/fields/:coordinate" element={<FieldPage user={user} />} />
          <Route path="/history" element={<HistoryPage />} />
          <Route path="/requests" element={<RequestsPage user={user} />} />
          <Route path="/audit" element={<AuditPage />} />
          <Route path="*" element={<Navigate to="/catalog" replace />} />
        </Routes>
      </main>
    </div>
  );
}
