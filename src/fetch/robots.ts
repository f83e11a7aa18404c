// A small robots.txt parser (RFC 9309): groups by user-agent, Allow/Disallow with `*` and `$`,
// longest match wins, Allow wins ties. Crawl-delay is read as an extra.

export interface RobotsRules {
  /** Is the path (with query) allowed for this agent? */
  isAllowed(pathAndQuery: string): boolean;
  /** Crawl-delay in seconds for the matched group, if any. */
  crawlDelaySec: number | null;
}

interface Rule {
  allow: boolean;
  pattern: string;
  re: RegExp;
}

interface Group {
  agents: string[];
  rules: Rule[];
  crawlDelay: number | null;
}

function compile(pattern: string): RegExp {
  let anchored = false;
  let p = pattern;
  if (p.endsWith('$')) {
    anchored = true;
    p = p.slice(0, -1);
  }
  const body = p
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp('^' + body + (anchored ? '$' : ''));
}

/** Percent-encoding normalised so "/a%3c" and "/a%3C" compare equal. */
function normPath(p: string): string {
  return p.replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase());
}

export function parseRobots(text: string, userAgent: string): RobotsRules {
  const groups: Group[] = [];
  let current: Group | null = null;
  let lastWasAgent = false;
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim();
    if (!line) continue;
    const idx = line.indexOf(':');
    if (idx < 0) continue;
    const key = line.slice(0, idx).trim().toLowerCase();
    const value = line.slice(idx + 1).trim();
    if (key === 'user-agent') {
      if (!lastWasAgent || !current) {
        current = { agents: [], rules: [], crawlDelay: null };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue;
    if (key === 'allow' || key === 'disallow') {
      if (key === 'disallow' && value === '') continue; // "Disallow:" = allow everything
      const pattern = normPath(value);
      current.rules.push({ allow: key === 'allow', pattern, re: compile(pattern) });
    } else if (key === 'crawl-delay') {
      const n = Number(value);
      if (Number.isFinite(n) && n >= 0) current.crawlDelay = n;
    }
  }
  // The product token of our User-Agent ("OccasionalDigest/0.1 (+https://...)" -> "occasionaldigest").
  const token = (userAgent.split(/[\s/]/)[0] ?? '').toLowerCase();
  const mine = groups.filter((g) => g.agents.some((a) => a !== '*' && token !== '' && (token.includes(a) || a.includes(token))));
  const chosen = mine.length ? mine : groups.filter((g) => g.agents.includes('*'));
  const rules = chosen.flatMap((g) => g.rules);
  const delays = chosen.map((g) => g.crawlDelay).filter((d): d is number => d !== null);
  return {
    crawlDelaySec: delays.length ? Math.max(...delays) : null,
    isAllowed(pathAndQuery: string): boolean {
      const path = normPath(pathAndQuery || '/');
      if (path === '/robots.txt') return true;
      let best: Rule | null = null;
      for (const r of rules) {
        if (!r.re.test(path)) continue;
        if (!best || r.pattern.length > best.pattern.length || (r.pattern.length === best.pattern.length && r.allow && !best.allow)) best = r;
      }
      return best ? best.allow : true;
    },
  };
}

/** Rules for a robots.txt that could not be read (4xx, network): everything allowed. */
export const ALLOW_ALL: RobotsRules = { isAllowed: () => true, crawlDelaySec: null };
