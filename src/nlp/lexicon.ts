// Word lists for attribution: speech cues (with their stance), role words, pronouns, function words.

export type Stance = 'claim' | 'deny' | 'confirm' | 'warn' | 'promise';

/** Cue lemmas with their stance (null = neutral). */
const CUE_LEMMAS: Record<string, Stance | null> = {
  say: null, tell: null, add: null, explain: null, note: null, stress: null, insist: 'claim', argue: 'claim',
  claim: 'claim', assert: 'claim', allege: 'claim', contend: 'claim', maintain: 'claim', write: null, tweet: null,
  post: null, declare: null, announce: null, warn: 'warn', caution: 'warn', threaten: 'warn', acknowledge: 'confirm',
  admit: 'confirm', concede: 'confirm', confirm: 'confirm', deny: 'deny', reject: 'deny', dispute: 'deny',
  refute: 'deny', dismiss: 'deny', promise: 'promise', pledge: 'promise', vow: 'promise', suggest: null,
  predict: null, reply: null, respond: null, answer: null, ask: null, recall: null, continue: null, complain: null,
  charge: 'claim', observe: null, remark: null, report: null, emphasize: null, emphasise: null, urge: null,
  joke: null, quip: null, counter: 'claim', state: null, testify: null, reiterate: null, boast: null, lament: null,
  muse: null, shout: null, yell: null, recount: null, speculate: null, estimate: null, reveal: null, disclose: null,
  indicate: null, hint: null, signal: null, assure: 'promise', conclude: null, mention: null, point: null,
  agree: 'confirm', demand: null, propose: null, describe: null, comment: null,
  proclaim: null, inform: null, advise: null, blast: null, fume: null,
  scoff: null, retort: 'claim', chant: null, sing: null, read: null, exclaim: null, scream: null, cry: null, plead: null, beg: null, concur: 'confirm', underline: null, underscore: null, elaborate: null,
};

/**
 * Attribution cues that are not speech verbs: evidence (a poll "shows", a study "found"), beliefs ("believes"),
 * evaluations of a target ("criticized X", "accused X of ..."), intentions ("wants to", "plans to") and
 * naming ("called X a liar", "called for X"). PolNeAR-style attribution counts them; their content is the
 * complement (that-clause, to-infinitive or object), and their subject must be a source that can hold a view.
 */
const ATTRIB_LEMMAS: Record<string, Stance | null> = {
  // evidence
  show: null, find: null,
  // beliefs
  believe: null, think: null, feel: null, fear: null, worry: null, hope: null, expect: null, doubt: null,
  // evaluations of a target
  cite: null, criticize: null, criticise: null, attack: null, accuse: 'claim', praise: null, blame: 'claim', condemn: null, question: null,
  // intentions
  want: null, plan: null, decline: null, refuse: null, seek: null, intend: null,
  // naming and calls ("called X a liar", "called for X", "called on X to")
  call: null,
};

/**
 * What a quote's `cue` is: 'speech' ("said", "told", "according to", a colon or dash attribution), 'attribution'
 * for views, evidence, intentions and evaluations ("believes", "shows", "wants", "called for"), or null when
 * there is none (continuation quotes).
 */
export function cueKind(cue: string | null): 'speech' | 'attribution' | null {
  if (!cue) return null;
  const words = cue.toLowerCase().split(/\s+/);
  if (words.some((w) => CUE_FORMS.has(w)) || words[0] === 'according' || /^[:―—–-]$/.test(cue)) return 'speech';
  return 'attribution';
}

/** True for attribution cues that are not speech verbs (see ATTRIB_LEMMAS). */
export function isAttributionOnly(lemma: string): boolean {
  return lemma in ATTRIB_LEMMAS;
}

const ATTRIB_IRREGULAR: Record<string, string> = { found: 'find', thought: 'think', shown: 'show', sought: 'seek', felt: 'feel' };

const IRREGULAR: Record<string, string> = {
  said: 'say', says: 'say', saying: 'say', told: 'tell', tells: 'tell', telling: 'tell', wrote: 'write',
  writes: 'write', writing: 'write', written: 'write',
};

function inflect(lemma: string): string[] {
  const out = [lemma];
  const l = lemma;
  if (/(s|sh|ch|x|z)$/.test(l)) out.push(l + 'es');
  else if (/[^aeiou]y$/.test(l)) out.push(l.slice(0, -1) + 'ies');
  else out.push(l + 's');
  if (/^(?:plan)$/.test(l)) out.push(l + 'ned', l + 'ning');
  else if (/e$/.test(l)) out.push(l + 'd', l.slice(0, -1) + 'ing');
  else if (/[^aeiou]y$/.test(l)) out.push(l.slice(0, -1) + 'ied', l + 'ing');
  else if (/^(quip|admit|vow)$/.test(l)) out.push(l + l.slice(-1) + 'ed', l + l.slice(-1) + 'ing', l + 'ed', l + 'ing');
  else out.push(l + 'ed', l + 'ing');
  return out;
}

const CUE_FORMS = new Map<string, string>(); // form -> lemma
for (const lemma of Object.keys(CUE_LEMMAS)) {
  if (lemma.endsWith('_')) continue;
  for (const f of inflect(lemma)) CUE_FORMS.set(f, lemma);
}
for (const [f, l] of Object.entries(IRREGULAR)) CUE_FORMS.set(f, l);
const ATTRIB_FORMS = new Map<string, string>();
for (const lemma of Object.keys(ATTRIB_LEMMAS)) for (const f of inflect(lemma)) ATTRIB_FORMS.set(f, lemma);
for (const [f, l] of Object.entries(ATTRIB_IRREGULAR)) if (l in ATTRIB_LEMMAS) ATTRIB_FORMS.set(f, l);

/** Lemma of a non-speech attribution cue ("shows", "found", "wants", "called"), or null. */
export function attribLemma(form: string): string | null {
  return ATTRIB_FORMS.get(form.toLowerCase()) ?? null;
}
// forms that are speech only in a clear attribution frame
const WEAK = new Set<string>([
  'state', 'states', 'post', 'posts', 'point', 'points', 'answer', 'answers', 'report', 'reports', 'charge',
  'charges', 'signal', 'signals', 'counter', 'continue', 'continues', 'continuing', 'continued', 'ask', 'asks',
  'asking', 'describe', 'describes', 'describing', 'described', 'demand', 'demands', 'estimate', 'estimates',
  'comment', 'comments', 'note', 'notes', 'pointed', 'pointing', 'concluded', 'indicated', 'maintained',
  'observed', 'reported', 'revealed', 'mentioned', 'proposed', 'threatened', 'threatening', 'threatens',
  'dismissed', 'answered', 'charged', 'posted', 'posting', 'dismissing', 'stated', 'add', 'adds', 'remark', 'remarks',
  'read', 'reads', 'readed', 'reading', 'written', 'maintain', 'maintains', 'maintaining', 'recall', 'recalls',
  'claims', 'warnings', 'promises', 'vows', 'pledges', 'denies', 'confirms',
]);

/** Speech-cue lemma of a word form, or null. */
export function cueLemma(form: string): string | null {
  return CUE_FORMS.get(form.toLowerCase()) ?? null;
}

/** True for cue forms that are speech only in attribution frames (need a clear subject + clause). */
export function isWeakCue(form: string): boolean {
  return WEAK.has(form.toLowerCase());
}

export function stanceOf(lemma: string | null): Stance | null {
  if (!lemma) return null;
  return CUE_LEMMAS[lemma] ?? ATTRIB_LEMMAS[lemma] ?? null;
}

/** Verbs whose next noun phrase is the addressee ("told reporters", "told the AFP news agency"). */
export const TAKES_OBJECT = new Set(['tell', 'ask', 'assure', 'warn', 'urge', 'inform', 'advise', 'remind']);

export const PRONOUNS = new Set(['he', 'she', 'they', 'it', 'we', 'i', 'you']);

/** Head nouns of roles ("aide", "minister"); the role is the phrase ending in one of them. */
export const ROLE_HEADS = new Set([
  'president', 'minister', 'secretary', 'aide', 'envoy', 'spokesman', 'spokeswoman', 'spokesperson', 'official',
  'officials', 'senator', 'sen.', 'rep.', 'representative', 'governor', 'gov.', 'mayor', 'candidate', 'nominee',
  'leader', 'chief', 'director', 'chairman', 'chairwoman', 'chair', 'head', 'adviser', 'advisor', 'ambassador',
  'general', 'gen.', 'commander', 'premier', 'chancellor', 'king', 'queen', 'prince', 'pope', 'judge', 'justice',
  'attorney', 'lawyer', 'analyst', 'economist', 'professor', 'prof.', 'dr.', 'founder', 'ceo', 'executive',
  'manager', 'coach', 'strategist', 'pollster', 'consultant', 'operative', 'correspondent', 'reporter', 'editor',
  'columnist', 'host', 'anchor', 'writer', 'author', 'expert', 'researcher', 'scientist', 'activist', 'member',
  'congressman', 'congresswoman', 'lawmaker', 'legislator', 'speaker', 'whip', 'mate', 'vp', 'vice', 'deputy',
  'diplomat', 'negotiator', 'staffer', 'surrogate', 'supporter', 'critic',
  'chairperson', 'commissioner', 'administrator', 'superintendent', 'sheriff', 'officer', 'captain', 'colonel',
  'sergeant', 'detective', 'prosecutor', 'counsel', 'partner', 'president-elect', 'nominee', 'hopeful',
  'challenger', 'incumbent', 'leader', 'wife', 'husband', 'son', 'daughter', 'father', 'mother', 'son-in-law', 'friend',
  'rival', 'opponent', 'mr.', 'mrs.', 'ms.', 'mr', 'mrs', 'ms', 'emperor', 'ayatollah', 'sheikh', 'cardinal',
  'bishop', 'archbishop', 'rabbi', 'imam', 'monarch', 'dictator', 'ruler', 'politician', 'delegate', 'organizer',
  'organiser', 'owner', 'investor', 'businessman', 'businesswoman', 'billionaire', 'mogul', 'star', 'actor',
  'actress', 'singer', 'player', 'striker', 'spokesmen', 'secretary-general', 'prime', 'leader', 'fellow',
  'historian', 'scholar', 'physician', 'doctor', 'nurse', 'teacher', 'student', 'resident', 'voter', 'witness',
]);

/** Words that end a noun phrase scan (function words, verbs of frames). */
export const NP_STOP = new Set([
  'and', 'but', 'or', 'nor', 'that', 'which', 'who', 'whom', 'whose', 'when', 'while', 'as', 'because', 'if',
  'so', 'then', 'after', 'before', 'since', 'although', 'though', 'meanwhile', 'however', 'to', 'by', 'with',
  'is', 'was', 'are', 'were', 'be', 'been', 'being', 'has', 'have', 'had', 'do', 'does', 'did', 'will', 'would',
  'can', 'could', 'should', 'may', 'might', 'must', 'not', 'also', 'on', 'at', 'into', 'onto', 'over', 'about',
  'than', 'where', 'why', 'how', 'what', 'there', 'here', 'this', 'these', 'those', 'it', 'its', 'yet', 'still',
  'even', 'just', 'only', 'again', 'during', 'until', 'unless', 'whether', 'once', 'for', 'against', 'under',
  'per', 'via', 'through', 'without', 'within', 'between', 'among', 'like', 'unlike', 'upon', 'toward', 'towards',
  'said', 'says', 'told', 'added', 'later', 'earlier', 'now', 'today', 'yesterday', 'tomorrow', 'recently',
  'reportedly', 'previously', 'repeatedly', 'publicly', 'privately',
  'were', 'let', 'asked', 'when', 'after', 'ago',
]);

/** Adverbs and auxiliaries allowed between a subject and its cue ("Kyiv has denied", "he also said"). */
export const CUE_GAP = new Set([
  'also', 'has', 'have', 'had', 'later', 'earlier', 'then', 'repeatedly', 'previously', 'recently', 'once',
  'reportedly', 'publicly', 'privately', 'again', 'further', 'quickly', 'flatly', 'firmly', 'strongly', 'simply',
  'separately', 'often', 'frequently', 'always', 'never', 'still', 'clearly', 'explicitly', 'openly', 'initially',
  'first', 'finally', 'subsequently', 'afterward', 'afterwards', 'immediately', 'angrily', 'bluntly', 'candidly',
  'would', 'will', 'did', 'does', 'do', 'is', 'was', 'were', 'are', 'had', 'has', 'been', 'being', 'not', 'n\'t',
  'just', 'even', 'specifically', 'directly', 'only', 'emphatically', 'similarly', 'likewise', 'ultimately',
  'now', 'usually', 'sometimes', 'currently', 'already', 'generally', 'routinely', 'consistently', 'long',
]);

/** Determiners dropped from the front of roles. */
export const DETERMINERS = new Set(['the', 'a', 'an', 'his', 'her', 'their', 'its', 'our', 'one', 'another', 'this', 'that']);

/** Channels after a cue. */
export const CHANNEL_RE =
  /^(?:[^,.;“”"]{0,40}?\s)?((?:on|in|via|through) (?:social media|twitter|x|facebook|instagram|telegram|truth social|television|tv|radio|(?:a|an|his|her|their|the) (?:[\w-]+ ){0,3}?(?:statement|interview|post|tweet|letter|op-ed|press release|blog post|video|speech|message|email|e-mail|memo|broadcast|podcast|column|note|filing|report|book|essay|press conference|news conference|briefing))(?: (?:with|to|on|from) [^,.;“”"]{1,40}?)?)(?=[,.;:“”"]|\s+(?:that|on|at|in|after|before|when)\b|$)/i;
