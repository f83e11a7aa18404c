// URL helpers: resolve relative references the forgiving way feed readers need.

const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * Resolve `uri` against `base`. Absolute URIs are returned as written (no normalisation,
 * so ids keep their case); relative ones are joined with WHATWG URL rules. When there is no
 * usable base the input is returned unchanged (trimmed).
 */
export function resolveUrl(uri: string, base: string | null | undefined): string {
  const u = uri.trim();
  if (HAS_SCHEME.test(u)) return u;
  if (!base) return u;
  try {
    return new URL(u, base).href;
  } catch {
    return u;
  }
}

/** Join a base chain: `rel` relative to `base`, where either may be null. */
export function joinBase(base: string | null, rel: string | null | undefined): string | null {
  if (rel === null || rel === undefined) return base;
  const r = rel.trim();
  if (!r) return base;
  if (HAS_SCHEME.test(r)) return r;
  if (!base) return r.startsWith('/') || r.startsWith('.') ? null : null;
  try {
    return new URL(r, base).href;
  } catch {
    return base;
  }
}

export function isHttpUrl(s: string | null | undefined): boolean {
  return !!s && /^https?:\/\/[^\s/]+/i.test(s.trim());
}
