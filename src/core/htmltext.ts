// Plain text of an HTML fragment: block elements become paragraph breaks ("\n\n"),
// <br> a line break, whitespace folded, entities decoded. Used for feed-supplied content.
import { Parser } from 'htmlparser2';

const BLOCKS = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'aside', 'blockquote', 'pre', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'tr', 'figure', 'figcaption', 'hr', 'main', 'nav', 'address', 'details', 'summary',
]);
const SKIP = new Set(['script', 'style', 'template', 'noscript', 'head', 'title']);

export function htmlToText(html: string): string {
  const blocks: string[] = [];
  let cur = '';
  let skip = 0;
  const flush = () => {
    const t = cur.replace(/[ \t\r\f\v\u00a0]+/g, ' ').replace(/ ?\n ?/g, '\n').trim();
    if (t) blocks.push(t);
    cur = '';
  };
  const p = new Parser(
    {
      onopentag(name) {
        if (SKIP.has(name)) skip++;
        else if (BLOCKS.has(name)) flush();
        else if (name === 'br') cur += '\n';
      },
      onclosetag(name) {
        if (SKIP.has(name)) skip = Math.max(0, skip - 1);
        else if (BLOCKS.has(name)) flush();
      },
      ontext(t) {
        if (!skip) cur += t.replace(/\s+/g, ' ');
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  p.write(html);
  p.end();
  flush();
  return blocks.join('\n\n');
}
