import { test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlToText } from './htmltext.ts';

test('blocks become paragraphs, inline markup and entities flow as text', () => {
  const html = '<h2>Talks &amp; terms</h2><p>“No <b>compromise</b>,” said <a href="/u">Yury&nbsp;Ushakov</a>.</p><ul><li>one</li><li>two</li></ul><script>alert(1)</script><p>Line<br>break</p>';
  assert.equal(htmlToText(html), 'Talks & terms\n\n“No compromise,” said Yury Ushakov.\n\none\n\ntwo\n\nLine\nbreak');
});

test('words in adjacent blocks are never glued together', () => {
  assert.equal(htmlToText('<div>end of one</div><div>start of two</div>'), 'end of one\n\nstart of two');
  assert.equal(htmlToText('plain text only'), 'plain text only');
  assert.equal(htmlToText(''), '');
});
