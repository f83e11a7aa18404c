import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { openStore } from '../store/index.ts';
import type { NewArticle } from '../core/types.ts';
import { buildBrief, renderEmail, renderMarkdown } from './index.ts';

function art(sourceId: number, n: number, title: string, published: string): NewArticle {
  return {
    sourceId,
    url: `https://news${sourceId}.example/${n}`,
    canonicalUrl: null,
    guid: `g${n}`,
    title,
    byline: null,
    published,
    publishedIsFallback: false,
    fetchedAt: published,
    text: `${title}. The council met on Tuesday.\n\nSecond paragraph.`,
    html: '<p>x</p>',
    summary: null,
    leadImage: null,
    siteName: null,
    section: null,
    lang: 'en',
    extractedFrom: 'page',
    extractionMethod: 'dom',
    extractionError: null,
  };
}

async function filledStore(dir: string) {
  const store = await openStore({ driver: 'sqlite', path: join(dir, 'd.db') });
  const a = await store.addSource({ url: 'https://news1.example/feed', title: 'Harbour Ledger' });
  const b = await store.addSource({ url: 'https://news2.example/feed', title: 'Northgate Wire' });
  const now = Date.now();
  const iso = (h: number) => new Date(now - h * 3600_000).toISOString();
  const x1 = (await store.upsertArticle(art(a.id, 1, 'Envoys meet president over peace plan', iso(3)))).article;
  const x2 = (await store.upsertArticle(art(b.id, 2, 'Peace plan talks last five hours', iso(2)))).article;
  const old = (await store.upsertArticle(art(a.id, 3, 'Bridge reopens after repairs', iso(72)))).article;
  const lone = (await store.upsertArticle(art(b.id, 4, 'Storm closes schools <on the coast>', iso(1)))).article;
  const story = await store.createStory({ title: 'US envoys meet president over peace plan', firstSeen: iso(3), lastUpdated: iso(2), summary: 'Envoys met the president for five hours.', articleCount: 2, sourceCount: 2, score: 5 });
  await store.setStory(x1.id, story.id);
  await store.setStory(x2.id, story.id);
  await store.replaceArticleQuotes(x1.id, [
    { quote: '“So far, we have not found a compromise on the territory,”', start: 0, end: 10, speaker: 'Yury Ushakov', speakerRole: 'top aide', personId: null, kind: 'direct', stance: null, cue: 'said' },
  ]);
  return { store, old, lone };
}

test('the brief puts the period’s stories first, then lone articles, and leaves out older news', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'digest-brief-'));
  const { store } = await filledStore(dir);
  try {
    const brief = await buildBrief(store, { since: new Date(Date.now() - 24 * 3600_000), baseUrl: 'http://localhost:8080/', limit: 5 });
    assert.deepEqual(
      brief.items.map((i) => i.title),
      ['US envoys meet president over peace plan', 'Storm closes schools <on the coast>'],
    );
    const top = brief.items[0];
    assert.deepEqual(top.outlets.sort(), ['Harbour Ledger', 'Northgate Wire']);
    assert.match(top.url, /^http:\/\/localhost:8080\/stories\/\d+$/);
    assert.equal(top.quotes[0].speaker, 'Yury Ushakov, top aide');
    const md = renderMarkdown(brief);
    assert.match(md, /## 1\. \[US envoys meet president over peace plan\]\(http:\/\/localhost:8080\/stories\/\d+\)/);
    assert.match(md, /> — Yury Ushakov, top aide/);
    assert.match(md, /Storm closes schools \\<on the coast\\>/, 'markdown special characters are escaped');
    assert.doesNotMatch(md, /Bridge reopens/);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the e-mail goes out over SMTP as a multipart message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'digest-brief-'));
  const { store } = await filledStore(dir);
  const received: string[] = [];
  // A minimal SMTP server on loopback that records the DATA it is given.
  const server = net.createServer((sock) => {
    let inData = false;
    let data = '';
    sock.write('220 test ESMTP\r\n');
    sock.on('data', (chunk) => {
      for (const line of chunk.toString('utf8').split('\r\n')) {
        if (inData) {
          if (line === '.') {
            inData = false;
            received.push(data);
            sock.write('250 queued\r\n');
          } else data += line + '\r\n';
          continue;
        }
        if (!line) continue;
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO' || cmd === 'HELO') sock.write('250 test\r\n');
        else if (cmd === 'MAIL' || cmd === 'RCPT') sock.write('250 ok\r\n');
        else if (cmd === 'DATA') {
          inData = true;
          sock.write('354 go\r\n');
        } else if (cmd === 'QUIT') sock.end('221 bye\r\n');
        else sock.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const brief = await buildBrief(store, { since: new Date(Date.now() - 24 * 3600_000), baseUrl: 'http://localhost:8080' });
    const raw = renderEmail(brief, { from: 'Digest <digest@example.net>', to: 'reader@example.net' });
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    await t.sendMail({ envelope: { from: 'digest@example.net', to: 'reader@example.net' }, raw });
    t.close();
    assert.equal(received.length, 1);
    const msg = received[0];
    assert.match(msg, /^Subject: Occasional Digest: 2 stories/m);
    assert.match(msg, /Content-Type: multipart\/alternative/);
    const parts = [...msg.matchAll(/base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/g)].map((m) => Buffer.from(m[1].replace(/\r\n/g, ''), 'base64').toString('utf8'));
    assert.equal(parts.length, 2);
    assert.match(parts[0], /US envoys meet president/);
    assert.match(parts[1], /<a href="http:\/\/localhost:8080\/stories\/\d+">US envoys meet president over peace plan<\/a>/);
    assert.match(parts[1], /Storm closes schools &lt;on the coast&gt;/);
  } finally {
    server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
