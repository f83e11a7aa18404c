// URL canonicalisation for exact-copy detection: two URLs that point at the same article
// (tracking parameters, AMP variants, m./www. hosts, trailing slashes, fragments, default
// ports, query order) map to one key. The key is a URL string, but it is meant for
// comparison, not for fetching (the scheme is folded to https, the host loses "www.").

/** Query parameters that only track the visit and never change the document. */
const TRACKING_EXACT = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'ttclid', 'li_fat_id',
  'igshid', 'mc_cid', 'mc_eid', 'mkt_tok', '_hsenc', '_hsmi', '__hssc', '__hstc', '__hsfp', 'hsctatracking',
  'oly_anon_id', 'oly_enc_id', 'vero_conv', 'vero_id', 'rb_clickid', 's_cid', 'wt.mc_id', 'wt_mc_id', 'cmpid',
  'ocid', 'ncid', 'sr_share', 'share', 'ref', 'ref_src', 'ref_url', 'referrer', 'src', 'source', 'via', 'feature',
  'cmp', 'campaign', 'spm', 'scm', 'at_medium', 'at_campaign', 'at_custom1', 'at_custom2', 'at_custom3',
  'at_custom4', 'taid', 'xtor', 'smid', 'smtyp', 'partner', 'mbid', 'rss', 'rssfeed', 'fromrss', 'track',
  'amp', 'amp_js_v', 'amp_gsa', 'usqp', 'outputtype', '_ga', '_gl', 'guccounter', 'guce_referrer',
  'guce_referrer_sig', 'ito', 'int_source', 'cid', 'icid', 'soc_src', 'soc_trk', 'dicbo', 'ust', 'usg', 'sh',
  'intcmp', 'ns_mchannel', 'ns_source', 'ns_campaign', 'ns_linkname', 'ns_fee', 'rss_id', 'ftag', 'tid',
]);
const TRACKING_PREFIX = ['utm_', 'pk_', 'mtm_', 'matomo_', 'hmb_', 'ga_', 'stm_', 'at_', 'ns_', 'sc_', 'trk_'];

function isTrackingParam(name: string): boolean {
  const n = name.toLowerCase();
  if (TRACKING_EXACT.has(n)) return true;
  return TRACKING_PREFIX.some((p) => n.startsWith(p));
}

/**
 * Canonical comparison key for an article URL, or the trimmed input when it does not parse.
 * - scheme folded to https; default ports dropped; host lower-cased without "www.", "m.", "mobile.", "amp."
 * - fragment dropped; tracking parameters (utm_*, fbclid, gclid, ...) dropped; remaining query sorted
 * - AMP variants: "/amp" or "/amp/" path segments, trailing ".amp" / "amp.html", "?amp", "outputType=amp"
 * - duplicate and trailing slashes, "index.html"/"index.php" dropped; percent-encoding normalised
 */
export function canonicalizeUrl(url: string): string {
  const raw = url.trim();
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return raw;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return u.href;
  let host = u.hostname.toLowerCase().replace(/\.$/, '');
  host = host.replace(/^(?:www\d{0,2}|m|mobile|amp)\./, '');
  // Google AMP cache: www-example-com.cdn.ampproject.org/c/s/www.example.com/path
  if (host.endsWith('.cdn.ampproject.org')) {
    const m = /^\/(?:[a-z]\/)*(?:s\/)?([^/]+)(\/.*)?$/.exec(u.pathname);
    if (m) return canonicalizeUrl('https://' + m[1] + (m[2] ?? '/') + u.search);
  }
  const port = u.port && u.port !== '80' && u.port !== '443' ? ':' + u.port : '';

  let path = u.pathname;
  try {
    path = encodeURI(decodeURI(path));
  } catch {
    /* keep as is */
  }
  path = path.replace(/\/{2,}/g, '/');
  const segs = path.split('/').filter((s) => s !== '');
  // AMP path forms: /amp/..., .../amp, ....amp, ...amp.html
  const kept = segs.filter((s, i) => !(s.toLowerCase() === 'amp' && (i === 0 || i === segs.length - 1)));
  if (kept.length > 0) {
    let last = kept[kept.length - 1];
    last = last.replace(/\.amp(\.html?)?$/i, '$1').replace(/[-_]amp\.html?$/i, '.html');
    if (/^index\.(html?|php|aspx?)$/i.test(last)) kept.pop();
    else kept[kept.length - 1] = last;
  }
  path = '/' + kept.join('/');

  const params: Array<[string, string]> = [];
  for (const [k, v] of u.searchParams) {
    if (isTrackingParam(k)) continue;
    params.push([k, v]);
  }
  params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const q = params.length
    ? '?' + params.map(([k, v]) => encodeURIComponent(k) + (v === '' ? '' : '=' + encodeURIComponent(v))).join('&')
    : '';
  return 'https://' + host + port + (path === '/' ? '' : path) + q;
}
