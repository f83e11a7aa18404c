// Tolerant date parsing for feeds: RFC 822/1123/2822 with named zones, ISO 8601 / W3C-DTF
// variants, asctime, MSSQL/Perforce styles, Unix timestamps, IANA zone names, and month and
// day names in common European languages. Returns an ISO 8601 instant ("…Z") or null.

const MONTHS: Record<string, number> = Object.create(null) as Record<string, number>;
function addMonths(names: string[]): void {
  names.forEach((n, i) => {
    for (const v of n.split('|')) MONTHS[v] = i + 1;
  });
}
// English, then other languages; "|" separates spellings. Matching uses the lower-cased,
// accent-stripped token without a trailing dot, by full name or listed abbreviation.
addMonths(['january|jan', 'february|feb', 'march|mar', 'april|apr', 'may', 'june|jun', 'july|jul', 'august|aug', 'september|sep|sept', 'october|oct', 'november|nov', 'december|dec']);
addMonths(['januar|jan|janner|jaenner', 'februar|feb|feber', 'marz|maerz|mrz|mar', 'april|apr', 'mai', 'juni|jun', 'juli|jul', 'august|aug', 'september|sep|sept', 'oktober|okt', 'november|nov', 'dezember|dez']);
addMonths(['janvier|janv|jan', 'fevrier|fevr|fev|fevr', 'mars|mar', 'avril|avr', 'mai', 'juin', 'juillet|juil', 'aout|aou', 'septembre|sept|sep', 'octobre|oct', 'novembre|nov', 'decembre|dec']);
addMonths(['enero|ene', 'febrero|feb', 'marzo|mar', 'abril|abr', 'mayo|may', 'junio|jun', 'julio|jul', 'agosto|ago', 'septiembre|setiembre|sep|set', 'octubre|oct', 'noviembre|nov', 'diciembre|dic']);
addMonths(['gennaio|gen', 'febbraio|feb', 'marzo|mar', 'aprile|apr', 'maggio|mag', 'giugno|giu', 'luglio|lug', 'agosto|ago', 'settembre|set', 'ottobre|ott', 'novembre|nov', 'dicembre|dic']);
addMonths(['januari|jan', 'februari|feb', 'maart|mrt', 'april|apr', 'mei', 'juni|jun', 'juli|jul', 'augustus|aug', 'september|sep', 'oktober|okt', 'november|nov', 'december|dec']);
addMonths(['janeiro|jan', 'fevereiro|fev', 'marco|mar', 'abril|abr', 'maio|mai', 'junho|jun', 'julho|jul', 'agosto|ago', 'setembro|set', 'outubro|out', 'novembro|nov', 'dezembro|dez']);
addMonths(['januari|jan', 'februari|feb', 'mars|mar', 'april|apr', 'maj', 'juni|jun', 'juli|jul', 'augusti|aug', 'september|sep', 'oktober|okt', 'november|nov', 'december|dec']);
addMonths(['styczen|stycznia|sty', 'luty|lutego|lut', 'marzec|marca', 'kwiecien|kwietnia|kwi', 'maj|maja', 'czerwiec|czerwca|cze', 'lipiec|lipca|lip', 'sierpien|sierpnia|sie', 'wrzesien|wrzesnia|wrz', 'pazdziernik|pazdziernika|paz', 'listopad|listopada|lis', 'grudzien|grudnia|gru']);
addMonths(['januar|jan', 'februar|feb', 'mars|mar', 'april|apr', 'mai', 'juni|jun', 'juli|jul', 'august|aug', 'september|sep', 'oktober|okt', 'november|nov', 'desember|des']);
addMonths(['januar|jan', 'februar|feb', 'marts|mar', 'april|apr', 'maj', 'juni|jun', 'juli|jul', 'august|aug', 'september|sep', 'oktober|okt', 'november|nov', 'december|dec']);
addMonths(['januar|jan', 'februar|feb', 'marec|mar', 'april|apr', 'maj', 'junij|jun', 'julij|jul', 'avgust|avg', 'september|sep', 'oktober|okt', 'november|nov', 'december|dec']);
addMonths(['január|jan', 'február|feb', 'március|marc|mar', 'április|apr', 'május|maj', 'június|jun', 'július|jul', 'augusztus|aug', 'szeptember|szept|sze', 'október|okt', 'november|nov', 'december|dec'].map((s) => stripAccents(s)));
addMonths(['ιανουαριου|ιανουαριος|ιαν', 'φεβρουαριου|φεβρουαριος|φεβ', 'μαρτιου|μαρτιος|μαρ|μάρ', 'απριλιου|απριλιος|απρ', 'μαιου|μαιος|μαι|μάι|μαΐ', 'ιουνιου|ιουνιος|ιουν', 'ιουλιου|ιουλιος|ιουλ', 'αυγουστου|αυγουστος|αυγ', 'σεπτεμβριου|σεπτεμβριος|σεπ', 'οκτωβριου|οκτωβριος|οκτ', 'νοεμβριου|νοεμβριος|νοε', 'δεκεμβριου|δεκεμβριος|δεκ'].map((s) => stripAccents(s)));
addMonths(['январь|января|янв', 'февраль|февраля|фев', 'март|марта|мар', 'апрель|апреля|апр', 'май|мая', 'июнь|июня|июн', 'июль|июля|июл', 'август|августа|авг', 'сентябрь|сентября|сен|сент', 'октябрь|октября|окт', 'ноябрь|ноября|ноя', 'декабрь|декабря|дек']);

const WEEKDAYS = new Set(
  (
    'monday mon tuesday tue tues wednesday wed thursday thu thur thurs friday fri saturday sat sunday sun ' +
    'montag mo dienstag di mittwoch mi donnerstag do freitag fr samstag sa sonntag so ' +
    'lundi lun mardi mar mercredi mer jeudi jeu vendredi ven samedi sam dimanche dim ' +
    'lunes martes miercoles mie jueves jue viernes vie sabado sab domingo dom ' +
    'lunedi martedi mercoledi giovedi gio venerdi sabato domenica ' +
    'maandag ma dinsdag woensdag wo donderdag vrijdag vr zaterdag za zondag zo ' +
    'segunda terca quarta quinta sexta seg ter qua qui sex ' +
    'kyriaki deftera triti tetarti pempti paraskevi savvato ' +
    'κυριακη δευτερα τριτη τεταρτη πεμπτη παρασκευη σαββατο κυρ δευ τρι τετ πεμ παρ σαβ ' +
    'hetfo kedd szerda csutortok pentek szombat vasarnap'
  ).split(' '),
);

const ZONES: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, bst: 60, ist: 60, cet: 60, met: 60, mez: 60, cest: 120, mesz: 120, eet: 120, eest: 180,
  msk: 180, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420, akst: -540, akdt: -480,
  hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150, jst: 540, kst: 540, hkt: 480, sgt: 480, awst: 480, acst: 570, aest: 600,
  aedt: 660, nzst: 720, nzdt: 780, ict: 420, wib: 420, pht: 480,
  // military single letters (RFC 822): A..M = -1..-12 (skipping J), N..Y = +1..+12
  a: -60, b: -120, c: -180, d: -240, e: -300, f: -360, g: -420, h: -480, i: -540, k: -600, l: -660, m: -720,
  n: 60, o: 120, p: 180, q: 240, r: 300, s: 360, t: 420, u: 480, v: 540, w: 600, x: 660, y: 720,
});

function stripAccents(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMin: number): string | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 61) return null;
  if (h === 24) {
    if (mi !== 0 || s !== 0) return null;
  }
  const sec = Math.min(s, 59);
  const t = Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offsetMin * 60000;
  const dt = new Date(t);
  if (Number.isNaN(t)) return null;
  // reject impossible days such as 31 February
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCDate() !== d) return null;
  if (y < 1000 || y > 9999) return null;
  const iso = dt.toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
}

function ianaOffsetMinutes(zone: string, utcGuess: number): number | null {
  try {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    const parts: Record<string, string> = {};
    for (const p of f.formatToParts(new Date(utcGuess))) parts[p.type] = p.value;
    const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute, +parts.second);
    return Math.round((asUtc - utcGuess) / 60000);
  } catch {
    return null;
  }
}

function parseOffset(s: string): number | null {
  const m = /^(?:GMT|UTC|UT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(s);
  if (!m) return null;
  const h = parseInt(m[2], 10);
  const mi = m[3] ? parseInt(m[3], 10) : 0;
  if (h > 14 || mi > 59) return NaN; // out of range: ignore
  return (m[1] === '-' ? -1 : 1) * (h * 60 + mi);
}

const ISO_RE =
  /^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?|-?W(\d{2})-?(\d)|-(\d{3}))?(?:(?:T|\s+)(\d{1,2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/** ISO instant; null when it looks ISO but is invalid; undefined when it is not ISO at all. */
function parseIso(s: string): string | null | undefined {
  const m = ISO_RE.exec(s);
  if (!m) return undefined;
  const y = +m[1];
  let mo = m[2] ? +m[2] : 1;
  let d = m[3] ? +m[3] : 1;
  if (m[6]) {
    const ord = +m[6];
    const dt = new Date(Date.UTC(y, 0, ord));
    mo = dt.getUTCMonth() + 1;
    d = dt.getUTCDate();
  } else if (m[4]) {
    // ISO week date
    const wk = +m[4];
    const wd = +m[5];
    const jan4 = new Date(Date.UTC(y, 0, 4));
    const dow = jan4.getUTCDay() || 7;
    const monday = Date.UTC(y, 0, 4 - dow + 1) + ((wk - 1) * 7 + (wd - 1)) * 86400000;
    const dt = new Date(monday);
    return build(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate(), 0, 0, 0, 0, 0);
  }
  if (m[2] && !m[3] && !m[7] && s.length === 6) return null; // "200312" is ambiguous
  const h = m[7] ? +m[7] : 0;
  const mi = m[8] ? +m[8] : 0;
  const sec = m[9] ? +m[9] : 0;
  const ms = m[10] ? Math.round(+`0.${m[10]}` * 1000) % 1000 : 0;
  let off = 0;
  if (m[11] && !/^(z|utc|gmt)$/i.test(m[11])) {
    const o = parseOffset(m[11]);
    off = o === null || Number.isNaN(o) ? 0 : o;
  }
  return build(y, mo, d, h, mi, sec, ms, off);
}

/** Parse a feed date; null when nothing sensible can be read. */
export function parseDate(input: string | null | undefined): string | null {
  if (input === null || input === undefined) return null;
  let s = String(input).trim();
  if (!s || s.length > 200) return null;
  // Unix timestamps (seconds, or milliseconds when 13 digits)
  if (/^\d{9,13}$/.test(s)) {
    const n = parseInt(s, 10);
    const ms = s.length >= 12 ? n : n * 1000;
    const dt = new Date(ms);
    return Number.isNaN(dt.getTime()) ? null : build(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate(), dt.getUTCHours(), dt.getUTCMinutes(), dt.getUTCSeconds(), 0, 0);
  }
  const iso = parseIso(s);
  if (iso !== undefined) return iso;
  if (/^\d{4}$/.test(s)) return null;
  // Korean "2004-05-25 오후 11:23:17" style and am/pm words
  s = s.replace(/오전/g, ' AM ').replace(/오후/g, ' PM ');
  s = s.replace(/(\d)\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일/g, '$1-$2-$3');
  return parseTokens(s);
}

function parseTokens(s0: string): string | null {
  const s = s0.replace(/[(),]/g, ' ').replace(/\s+-\s+/g, ' ').replace(/\b(\d{1,2})(st|nd|rd|th)\b/gi, '$1').replace(/\bat\b/gi, ' ').trim();
  const tokens = s.split(/\s+/);
  let y: number | null = null;
  let mo: number | null = null;
  let d: number | null = null;
  let h = 0;
  let mi = 0;
  let sec = 0;
  let ms = 0;
  let haveTime = false;
  let pm: boolean | null = null;
  let off: number | null = null;
  let zoneName: string | null = null;
  const loose: number[] = [];
  for (let raw of tokens) {
    if (!raw) continue;
    if (/^\d{1,2}\.$/.test(raw)) raw = raw.slice(0, -1); // German "3. Mai"
    let m: RegExpExecArray | null;
    // time, possibly with an attached zone/offset
    if ((m = /^(\d{1,2})[:h.](\d{2})(?:[:.](\d{2})(?:[.,](\d+))?)?(am|pm|a\.m\.|p\.m\.)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(raw)) && !haveTime && (raw.includes(':') || /h/i.test(raw))) {
      h = +m[1];
      mi = +m[2];
      sec = m[3] ? +m[3] : 0;
      ms = m[4] ? Math.round(+`0.${m[4]}` * 1000) % 1000 : 0;
      if (m[5]) pm = m[5].toLowerCase().startsWith('p');
      if (m[6]) off = m[6].toUpperCase() === 'Z' ? 0 : parseOffset(m[6]);
      haveTime = true;
      continue;
    }
    if (/^(am|pm|a\.m\.|p\.m\.)$/i.test(raw)) {
      pm = raw.toLowerCase().startsWith('p');
      continue;
    }
    if ((m = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?:T.*)?$/.exec(raw))) {
      y = +m[1];
      mo = +m[2];
      d = +m[3];
      continue;
    }
    if ((m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})$/.exec(raw))) {
      const a = +m[1];
      const b = +m[3];
      const yy = +m[4];
      y = m[4].length === 2 ? (yy < 50 ? 2000 + yy : 1900 + yy) : yy;
      if (m[2] === '/' && a <= 12 && b > 12) [mo, d] = [a, b];
      else if (m[2] === '/' && a <= 12) [mo, d] = [a, b];
      else [d, mo] = [a, b];
      continue;
    }
    if ((m = /^(\d{1,2})-([^\d\s-]+)-(\d{2}|\d{4})$/.exec(raw))) {
      // 01-Jan-2004
      const mm = monthOf(m[2]);
      if (mm) {
        d = +m[1];
        mo = mm;
        const yy = +m[3];
        y = m[3].length === 2 ? (yy < 50 ? 2000 + yy : 1900 + yy) : yy;
        continue;
      }
    }
    if (/^[+-]\d{1,2}(?::?\d{2})?$/.test(raw) || /^(GMT|UTC|UT)[+-]\d/i.test(raw)) {
      const o = parseOffset(raw);
      if (o !== null) {
        off = Number.isNaN(o) ? 0 : o;
        continue;
      }
    }
    if (/^[A-Za-z]+\/[A-Za-z_]+(?:\/[A-Za-z_]+)?$/.test(raw)) {
      zoneName = raw;
      continue;
    }
    const low = stripAccents(raw.toLowerCase()).replace(/\.$/, '');
    if (/^\d+$/.test(raw)) {
      loose.push(+raw);
      if (raw.length === 4) {
        if (y === null) y = +raw;
      } else if (d === null && mo !== null && +raw <= 31 && raw.length <= 2) d = +raw;
      else if (d === null && mo === null && +raw <= 31 && raw.length <= 2) d = +raw;
      else if (y === null && raw.length === 2) y = +raw < 50 ? 2000 + +raw : 1900 + +raw;
      continue;
    }
    const mm = monthOf(low);
    if (mm && mo === null) {
      mo = mm;
      continue;
    }
    if (WEEKDAYS.has(low) || WEEKDAYS.has(low.slice(0, 3))) continue;
    if (low in ZONES && (low.length > 1 || haveTime)) {
      if (off === null) off = ZONES[low];
      continue;
    }
    if (/^[a-z]+$/.test(low) && low.length <= 5) continue; // unknown zone abbreviation: ignore
    return null;
  }
  if (y === null || mo === null || d === null) return null;
  if (pm !== null && h <= 12) {
    if (pm && h < 12) h += 12;
    if (!pm && h === 12) h = 0;
  }
  let offset = off ?? 0;
  if (zoneName && off === null) {
    const guess = Date.UTC(y, mo - 1, d, h, mi, sec);
    const o1 = ianaOffsetMinutes(zoneName, guess);
    if (o1 === null) return null;
    const o2 = ianaOffsetMinutes(zoneName, guess - o1 * 60000);
    offset = o2 ?? o1;
  }
  return build(y, mo, d, h, mi, sec, ms, offset);
}

function monthOf(tok: string): number | null {
  const t = stripAccents(tok.toLowerCase()).replace(/\.$/, '');
  if (t in MONTHS) return MONTHS[t];
  if (t.length >= 3) {
    const p = t.slice(0, 3);
    if (p in MONTHS && /^[a-z]+$/.test(t)) return MONTHS[p];
  }
  return null;
}

export const _testing = { pad };
