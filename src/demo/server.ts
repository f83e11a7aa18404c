// The demo's loopback HTTP server: serves the bundled sample site (six fictional outlets,
// their feeds, article pages and images) with its own origin substituted for {{BASE}},
// correct content types and charsets, ETag / Last-Modified with 304s, and gzip on request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { buildSite, OUTLETS, type Resource } from './site/build.ts';
import { BASE, encodeCp1252, httpDate } from './site/common.ts';
import { OUTLET_IDS } from './site/model.ts';

export interface DemoServerOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  host?: '127.0.0.1';
  /**
   * 'single' (default): every outlet under its path prefix on one origin.
   * 'per-outlet': each outlet also gets its own loopback address (127.0.0.11, .12, ... on the
   * same port), and its feed, pages and links use that origin, so outlets are distinct hosts
   * (per-host politeness limits, host-based dedupe) as on the real web.
   */
  hosts?: 'single' | 'per-outlet';
  /** Called once per request served (method, path, status). */
  onRequest?: (info: { method: string; path: string; status: number }) => void;
}

export interface DemoServer {
  /** Origin the sample is served at, e.g. "http://127.0.0.1:41234" (no trailing slash). */
  url: string;
  /** Absolute URLs of the six outlet feeds. */
  feeds: string[];
  /** Absolute URLs of the article pages (every item the feeds list). */
  pages: string[];
  /** OPML file listing every feed (for `digest import`). */
  opml: string;
  /** Google News sitemaps the sample also offers. */
  sitemaps: string[];
  close(): Promise<void>;
}

interface Served {
  body: Buffer;
  etag: string;
  gzip?: Buffer;
  br?: Buffer;
}

const COMPRESSIBLE = /^(text\/|application\/(.*\+)?(xml|json)|application\/javascript|image\/svg\+xml)/;

function contentType(r: Resource): string {
  return r.charset ? `${r.type}; charset=${r.charset}` : r.type;
}

/** Does an If-None-Match header match the tag (weak comparison, as RFC 9110 asks for GET)? */
function etagMatches(header: string, etag: string): boolean {
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => {
    const x = t.trim();
    // Tags of compressed variants ("abc-gzip") validate the same representation.
    return x === '*' || x.replace(/^W\//, '').replace(/-(gzip|br)"$/, '"') === bare;
  });
}

/** The encoding to send given Accept-Encoding: gzip when asked, else br, else identity. */
function pickEncoding(header: string | undefined): 'gzip' | 'br' | null {
  if (!header) return null;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    q.set(name.trim(), qp ? Number(qp.slice(2)) : 1);
  }
  const ok = (n: string): boolean => (q.get(n) ?? q.get('*') ?? 0) > 0;
  if (ok('gzip')) return 'gzip';
  if (ok('br')) return 'br';
  return null;
}

/** Start the demo sample's server on loopback. */
export async function startDemoServer(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const site = buildSite();
  const host = opts.host ?? '127.0.0.1';
  const served = new Map<string, Served>();
  let origin = '';
  /** Origin of each outlet (all the same in 'single' mode). */
  const outletOrigin = new Map<string, string>();
  const baseRe = new RegExp(`${BASE.replace(/[{}]/g, '\\$&')}(?=/(${OUTLET_IDS.join('|')})/|)`, 'g');
  const substitute = (body: string): string =>
    body.replace(baseRe, (_m, outlet: string | undefined) => (outlet ? outletOrigin.get(outlet) ?? origin : origin));

  const render = (r: Resource): Served => {
    let s = served.get(r.path);
    if (s) return s;
    const text = substitute(r.body);
    const body = r.charset === 'windows-1252' ? encodeCp1252(text) : Buffer.from(text, 'utf8');
    const hash = createHash('sha1').update(body).digest('base64url').slice(0, 20);
    s = { body, etag: r.validators === 'weak-etag' ? `W/"${hash}"` : `"${hash}"` };
    served.set(r.path, s);
    return s;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    let path = '/';
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      path = '\0';
    }
    const finish = (status: number): void => {
      opts.onRequest?.({ method, path, status });
    };
    res.setHeader('Server', 'occasional-digest-demo');
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('method not allowed\n');
      return finish(405);
    }
    const r = site.resources.get(path);
    if (!r) {
      const slashed = site.resources.get(path + '/');
      if (slashed) {
        const here = req.headers.host ? `http://${req.headers.host}` : origin;
        res.writeHead(301, { Location: here + slashed.path, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(method === 'HEAD' ? undefined : `moved to ${here + slashed.path}\n`);
        return finish(301);
      }
      const body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Page not found</title></head><body><h1>Page not found</h1><p>Nothing lives at ${path.replace(/[<>&"]/g, '')} in the demo sample. <a href="${origin}/">All demo sources</a></p></body></html>\n`;
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(method === 'HEAD' ? undefined : body);
      return finish(404);
    }
    const s = render(r);
    const useEtag = r.validators === 'both' || r.validators === 'etag' || r.validators === 'weak-etag';
    const useLm = r.validators === 'both' || r.validators === 'last-modified';
    const lastModified = httpDate(r.modified);
    const headers: Record<string, string> = {
      'Content-Type': contentType(r),
      'Cache-Control': r.role === 'feed' ? 'public, max-age=60' : 'public, max-age=300',
      'X-Content-Type-Options': 'nosniff',
    };
    const enc = COMPRESSIBLE.test(r.type) && s.body.length > 200 ? pickEncoding(req.headers['accept-encoding']) : null;
    if (COMPRESSIBLE.test(r.type)) headers.Vary = 'Accept-Encoding';
    if (useEtag) headers.ETag = enc && !s.etag.startsWith('W/') ? s.etag.replace(/"$/, `-${enc}"`) : s.etag;
    if (useLm) headers['Last-Modified'] = lastModified;

    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    let notModified = false;
    if (inm !== undefined) notModified = useEtag && etagMatches(inm, s.etag);
    else if (ims !== undefined && useLm) {
      const t = Date.parse(ims);
      notModified = !Number.isNaN(t) && Math.floor(Date.parse(r.modified) / 1000) <= Math.floor(t / 1000);
    }
    if (notModified) {
      delete headers['Content-Type'];
      res.writeHead(304, headers);
      res.end();
      return finish(304);
    }
    let body = s.body;
    if (enc === 'gzip') body = s.gzip ??= gzipSync(s.body);
    else if (enc === 'br') body = s.br ??= brotliCompressSync(s.body);
    if (enc) headers['Content-Encoding'] = enc;
    headers['Content-Length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(method === 'HEAD' ? undefined : body);
    return finish(200);
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      handle(req, res);
    } catch (e) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`demo server error: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  };
  const servers: Server[] = [];
  const listen = (port: number, address: string): Promise<number> => {
    const server = createServer(listener);
    servers.push(server);
    return new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  };
  const closeAll = (): Promise<void> =>
    Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            if (!server.listening) return resolve();
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    ).then(() => undefined);

  const port = await listen(opts.port ?? 0, host);
  origin = `http://${host}:${port}`;
  for (const id of OUTLET_IDS) outletOrigin.set(id, origin);
  if (opts.hosts === 'per-outlet') {
    try {
      for (const [i, id] of OUTLET_IDS.entries()) {
        const addr = `127.0.0.${11 + i}`;
        await listen(port, addr);
        outletOrigin.set(id, `http://${addr}:${port}`);
      }
    } catch (e) {
      await closeAll();
      throw e;
    }
  }
  const at = (path: string): string => substitute(BASE + path);
  const pages = site.articles.map((a) => at(a.path));
  return {
    url: origin,
    feeds: OUTLET_IDS.map((id) => at(OUTLETS[id].feedPath)),
    pages,
    opml: `${origin}/demo.opml`,
    sitemaps: [at('/northgate/sitemap-news.xml')],
    close: closeAll,
  };
}
