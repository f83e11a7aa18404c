import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type KyselyStore } from '../store/index.ts';
import type { NewArticle } from '../core/types.ts';
import { createLogger } from '../core/log.ts';
import { buildBrief, renderMarkdown } from './index.ts';
import { localDayHour, sendDueBriefs } from './personal.ts';
import { plainPart, startSmtp } from '../../test/helpers/smtp.ts';

const NOW = new Date('2026-06-01T05:10:00Z'); // 07:10 in Paris (CEST)
const iso = (h: number) => new Date(NOW.getTime() - h * 3600_000).toISOString();

function art(sourceId: number, n: number, title: string, hoursAgo: number, text = `${title}. The council met on Tuesday.\n\nSecond paragraph.`): NewArticle {
  return {
    sourceId, url: `https://news${sourceId}.example/${n}`, canonicalUrl: null, guid: `g${n}`, title, byline: null,
    published: iso(hoursAgo), publishedIsFallback: false, fetchedAt: iso(hoursAgo), text, html: '<p>x</p>', summary: null,
    leadImage: null, siteName: null, section: null, lang: 'en', extractedFrom: 'page', extractionMethod: 'dom', extractionError: null,
  };
}

async function world(path: string) {
  const store = await openStore({ driver: 'sqlite', path });
  const ann = (await store.createUser({ name: 'ann', passwordHash: 'x' })).id;
  const bob = (await store.createUser({ name: 'bob', passwordHash: 'x' })).id;
  const A = (await store.addSource({ url: 'https://news1.example/feed', title: 'Harbour Ledger' })).id;
  const B = (await store.addSource({ url: 'https://news2.example/feed', title: 'Northgate Wire' })).id;
  const C = (await store.addSource({ url: 'https://news3.example/feed', title: 'Quay Times' })).id;
  const put = async (s: number, n: number, title: string, h: number) => (await store.upsertArticle(art(s, n, title, h))).article.id;
  const story = async (title: string, score: number, ids: number[]) => {
    const st = await store.createStory({ title, firstSeen: iso(4), lastUpdated: iso(2), summary: `${title}.`, articleCount: ids.length, sourceCount: ids.length, score });
    for (const id of ids) await store.setStory(id, st.id);
  };
  await story('Envoys meet president over peace plan', 9, [await put(A, 1, 'Envoys meet president', 3), await put(B, 2, 'Peace plan talks last five hours', 2)]);
  await story('Ferry strike enters third day', 8, [await put(C, 3, 'Ferry strike enters third day', 2)]);
  await story('Sponsored: the best crypto wallets', 7, [await put(A, 4, 'Sponsored: the best crypto wallets', 2)]);
  const readOne = await put(B, 5, 'Harbour dredging finished early', 3);
  await story('Harbour dredging finished early', 6, [readOne]);
  await put(A, 6, 'Storm closes schools on the coast', 1);
  await put(B, 7, 'Your horoscope for the week', 1);
  await put(A, 8, 'Bridge reopens after repairs', 72);
  await store.subscribe(ann, A);
  await store.subscribe(ann, B);
  await store.subscribe(bob, C);
  await store.addRule(ann, { field: 'title', pattern: 'sponsored, horoscope', isRegex: false, action: 'hide', kind: 'mute' });
  await store.markRead(ann, [readOne]);
  return { store, ann, bob };
}

test('the personal brief: only my subscriptions, without what my rules hide or I have read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'digest-personal-'));
  const { store, ann, bob } = await world(join(dir, 'd.db'));
  try {
    const opts = { since: new Date(NOW.getTime() - 86_400_000), until: NOW, baseUrl: 'http://localhost:8080', limit: 10 };
    const shared = await buildBrief(store, opts);
    assert.deepEqual(shared.items.map((i) => i.title), [
      'Envoys meet president over peace plan', 'Ferry strike enters third day', 'Sponsored: the best crypto wallets',
      'Harbour dredging finished early', 'Your horoscope for the week', 'Storm closes schools on the coast',
    ]);
    const mine = await buildBrief(store, { ...opts, userId: ann });
    assert.deepEqual(mine.items.map((i) => i.title), ['Envoys meet president over peace plan', 'Storm closes schools on the coast']);
    assert.deepEqual(mine.items[0].outlets.sort(), ['Harbour Ledger', 'Northgate Wire']);
    const bobs = await buildBrief(store, { ...opts, userId: bob });
    assert.deepEqual(bobs.items.map((i) => i.title), ['Ferry strike enters third day']);
    assert.doesNotMatch(renderMarkdown(mine), /crypto|horoscope|dredging|Ferry/);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('local day and hour in a time zone', () => {
  assert.deepEqual(localDayHour(NOW, 'Europe/Paris'), { day: '2026-06-01', hour: 7 });
  assert.deepEqual(localDayHour(NOW, 'America/New_York'), { day: '2026-06-01', hour: 1 });
  assert.deepEqual(localDayHour(new Date('2026-06-01T23:30:00Z'), 'Asia/Tokyo'), { day: '2026-06-02', hour: 8 });
  assert.deepEqual(localDayHour(new Date('2026-01-01T00:00:00Z'), 'UTC'), { day: '2026-01-01', hour: 0 });
});

test('scheduled briefs go out over SMTP at the user’s hour, once a day, even with two processes; a failed send is tried again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'digest-personal-'));
  const path = join(dir, 'd.db');
  const { store, ann, bob } = await world(path);
  const other: KyselyStore = await openStore({ driver: 'sqlite', path });
  const smtp = await startSmtp();
  const log = createLogger('error');
  const opts = (now: Date) => ({ smtpUrl: smtp.url, from: 'Digest <digest@example.net>', baseUrl: 'http://localhost:8080', log, now });
  try {
    await store.setBriefSchedule(ann, { hour: 7, timeZone: 'Europe/Paris', to: 'ann@example.org' });
    await store.setBriefSchedule(bob, { hour: 9, timeZone: 'Europe/London', to: 'bob@example.org' });
    // 06:50 in Paris: not yet
    assert.deepEqual(await sendDueBriefs(store, opts(new Date('2026-06-01T04:50:00Z'))), []);
    assert.equal(smtp.messages.length, 0);
    // 07:10 in Paris, two processes at once: one sends
    const both = await Promise.all([sendDueBriefs(store, opts(NOW)), sendDueBriefs(other, opts(NOW))]);
    assert.deepEqual(both.flat(), ['ann']);
    assert.equal(smtp.messages.length, 1);
    const m = smtp.messages[0];
    assert.equal(m.from, 'digest@example.net');
    assert.deepEqual(m.to, ['ann@example.org']);
    assert.match(m.data, /^To: ann@example.org/m);
    const text = plainPart(m.data);
    assert.match(text, /Envoys meet president over peace plan/);
    assert.doesNotMatch(text, /crypto|Ferry/);
    // later the same day: nothing more
    assert.deepEqual(await sendDueBriefs(other, opts(new Date('2026-06-01T07:50:00Z'))), []);
    // bob's hour (09:00 London = 08:00Z) with the mail server refusing: not sent, tried again
    smtp.fail = true;
    assert.deepEqual(await sendDueBriefs(store, opts(new Date('2026-06-01T08:05:00Z'))), []);
    assert.equal((await store.briefSchedules()).find((s) => s.name === 'bob')?.sentOn, null, 'the day was given back');
    smtp.fail = false;
    assert.deepEqual(await sendDueBriefs(store, opts(new Date('2026-06-01T08:20:00Z'))), ['bob']);
    assert.deepEqual(smtp.messages[1].to, ['bob@example.org']);
    assert.match(plainPart(smtp.messages[1].data), /Ferry strike enters third day/);
    // the next day at 07:00 Paris: ann's again
    assert.deepEqual(await sendDueBriefs(store, opts(new Date('2026-06-02T05:00:00Z'))), ['ann']);
    assert.equal(smtp.messages.length, 3);
  } finally {
    await smtp.close();
    await other.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
