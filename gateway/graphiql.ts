/**
 * GraphiQL served from the project's own node_modules (no CDN: it works offline).
 * `/graphql?key=API_KEY` pre-fills the `x-api-key` header so a newcomer can click and query.
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
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/react.production.min.js"></script>
  <script src="/graphiql/react-dom.production.min.js"></script>
  <script src="/graphiql/graphiql.min.js"></script>
  <script>
    const params = new URLSearchParams(location.search);
    const key = params.get('key') || localStorage.getItem('charter:apiKey') || '';
    if (params.get('key')) localStorage.setItem('charter:apiKey', key);
    const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
        defaultHeaders: JSON.stringify(key ? { 'x-api-key': key } : {}, null, 2),
        shouldPersistHeaders: true,
      }),
    );
  </script>
</body>
</html>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

const cache = new Map<string, Buffer>();

/** Serve `/graphiql/<asset>`; returns false when the path is not one of ours. */
export function serveGraphiQLAsset(pathname: string, res: http.ServerResponse): boolean {
  const name = pathname.slice('/graphiql/'.length);
  const asset = ASSETS[name];
  if (!asset) return false;
  let body = cache.get(name);
  if (!body) {
    body = fs.readFileSync(path.join(path.dirname(require.resolve(`${asset.pkg}/package.json`)), asset.file));
    cache.set(name, body);
  }
  res.writeHead(200, { 'content-type': asset.type, 'content-length': body.length, 'cache-control': 'public, max-age=86400' });
  res.end(body);
  return true;
}
