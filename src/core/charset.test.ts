import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHtml, charsetFromContentType, sniffMetaCharset } from './charset.ts';

test('the HTTP charset decides over the default', () => {
  const bytes = Buffer.from('<p>Caf\xe9 M\xfcller</p>', 'latin1');
  assert.equal(decodeHtml(bytes, 'text/html; charset=ISO-8859-1'), '<p>Café Müller</p>');
});

test('<meta charset> is sniffed when the header has none', () => {
  const bytes = Buffer.concat([Buffer.from('<html><head><meta charset="windows-1252"></head><p>'), Buffer.from([0x93, 0x68, 0x69, 0x94]), Buffer.from('</p>')]);
  assert.match(decodeHtml(bytes, 'text/html'), /“hi”/);
  assert.equal(sniffMetaCharset(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">')), 'koi8-r');
});

test('valid UTF-8 without labels stays UTF-8; invalid falls back to windows-1252', () => {
  assert.equal(decodeHtml(Buffer.from('Zelenskyy – “peace”', 'utf8')), 'Zelenskyy – “peace”');
  assert.equal(decodeHtml(Buffer.from([0x43, 0x61, 0x66, 0xe9])), 'Café');
});

test('a BOM wins over everything and unknown labels are ignored', () => {
  assert.equal(decodeHtml(Buffer.from([0xef, 0xbb, 0xbf, 0x41]), 'text/html; charset=latin1'), 'A');
  assert.equal(charsetFromContentType('text/html; charset=nonsense-9'), null);
});
