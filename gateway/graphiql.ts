/**
 * GraphiQL served from the project's own node_modules (no CDN: it works offline).
 * `/graphql#key=API_KEY` pre-fills the `x-api-key` header so a newcomer can click and query: the key
 * is in the fragment, which browsers never send to a server, proxy or `Referer`; the page removes it
 * from the address bar at once and never stores it (headers are not persisted).
 *
 * The page runs no inline script, so a strict Content-Security-Policy holds: scripts only from
 * this origin, requests only to this origin, no framing (clickjacking), no MIME sniffing.
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';

// Files are found through each package's package.json: their `exports` maps hide the UMD builds.
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css; charset=utf-8' },
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript; charset=utf-8' },
  'react.production.min.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript; charset=utf-8' },
  'react-dom.production.min.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript; charset=utf-8' },
};

/** Headers of the page and of every asset it loads. */
export const GRAPHIQL_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
});

const DEFAULT_QUERY = `# Products with their reviews, authors and stock: one query, four subgraphs.
query TopProducts {
  products(first: 3) {
    name
    price
    inStock
    reviews {
      rating
      body
      author { name email }
    }
  }
}
`;

/** Browsers ask for HTML; GraphQL clients never do. */
export function wantsGraphiQL(req: http.IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

export function serveGraphiQLPage(res: http.ServerResponse, endpoint: string): void {
  const html = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Charter GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/graphiql.min.css" />
  <link rel="stylesheet" href="/graphiql/charter.css" />
</head>
<body>
  <div id="graphiql" data-endpoint="${escapeAttribute(endpoint)}">Loading GraphiQL…</div>
  <script src="/graphiql/react.production.min.js"></script>
  <script src="/graphiql/react-dom.production.min.js"></script>
  <script src="/graphiql/graphiql.min.js"></script>
  <script src="/graphiql/charter-graphiql.js"></script>
</body>
</html>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...GRAPHIQL_SECURITY_HEADERS });
  res.end(html);
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The page's own script: the key from the fragment (then erased from the address bar), never stored. */
const BOOT_SCRIPT = `(function () {
  var root = document.getElementById('graphiql');
  var fragment = new URLSearchParams(location.hash.slice(1));
  var key = fragment.get('key') || '';
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  var fetcher = GraphiQL.createFetcher({ url: root.dataset.endpoint });
  // GraphiQL's history keeps each run's headers (the API key among them): keep history, not headers.
  var storage = {
    getItem: function (name) { return localStorage.getItem(name); },
    removeItem: function (name) { localStorage.removeItem(name); },
    clear: function () { localStorage.clear(); },
    get length() { return localStorage.length; },
    setItem: function (name, value) {
      if (name === 'graphiql:headers') return;
      if (name === 'graphiql:queries' || name === 'graphiql:favorites') {
        try {
          var stored = JSON.parse(value);
          (stored.queries || []).forEach(function (q) { delete q.headers; });
          value = JSON.stringify(stored);
        } catch (e) { return; }
      }
      localStorage.setItem(name, value);
    },
  };
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      storage: storage,
      defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
      defaultHeaders: JSON.stringify(key ? { 'x-api-key': key } : {}, null, 2),
      shouldPersistHeaders: false,
    }),
  );
})();
`;

const OWN_ASSETS: Record<string, { body: Buffer; type: string }> = {
  'charter-graphiql.js': { body: Buffer.from(BOOT_SCRIPT), type: 'text/javascript; charset=utf-8' },
  'charter.css': { body: Buffer.from('body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }\n'), type: 'text/css; charset=utf-8' },
};

const cache = new Map<string, Buffer>();

/** Serve `/graphiql/<asset>`; returns false when the path is not one of ours. */
export function serveGraphiQLAsset(pathname: string, res: http.ServerResponse): boolean {
  const name = pathname.slice('/graphiql/'.length);
  const own = OWN_ASSETS[name];
  if (own) {
    res.writeHead(200, { 'content-type': own.type, 'content-length': own.body.length, 'cache-control': 'no-cache', ...GRAPHIQL_SECURITY_HEADERS });
    res.end(own.body);
    return true;
  }
  const asset = ASSETS[name];
  if (!asset) return false;
  let body = cache.get(name);
  if (!body) {
    body = fs.readFileSync(path.join(path.dirname(require.resolve(`${asset.pkg}/package.json`)), asset.file));
    cache.set(name, body);
  }
  res.writeHead(200, { 'content-type': asset.type, 'content-length': body.length, 'cache-control': 'public, max-age=86400', ...GRAPHIQL_SECURITY_HEADERS });
  res.end(body);
  return true;
}
