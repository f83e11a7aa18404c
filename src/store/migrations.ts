// The schema as numbered, append-only migrations, one sequence per dialect: the schema
// version is the number of entries applied (kept in schema_migrations). Never edit an
// entry; add a new one at the end. The two sequences build the same tables (PostgreSQL
// keeps compared times as timestamptz; `published` keeps the text the feed gave).
export const SQLITE_MIGRATIONS: readonly string[] = [
  // 1: sources, fetch log, articles
  `CREATE TABLE sources (
    id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT 'feed' CHECK (kind IN ('feed', 'sitemap')), title TEXT, site_url TEXT, folder TEXT,
    etag TEXT, last_modified TEXT, last_fetched_at TEXT, last_status INTEGER, last_error_kind TEXT, last_error TEXT,
    error_count INTEGER NOT NULL DEFAULT 0, next_due_at TEXT, interval_sec INTEGER NOT NULL DEFAULT 3600,
    disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL
  );
  CREATE INDEX sources_due ON sources (next_due_at, id) WHERE disabled = 0;
  CREATE TABLE fetch_log (
    id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE, url TEXT NOT NULL,
    started_at TEXT NOT NULL, status INTEGER, outcome TEXT NOT NULL, error TEXT,
    new_articles INTEGER NOT NULL DEFAULT 0, elapsed_ms INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX fetch_log_source ON fetch_log (source_id, started_at DESC, id DESC);
  CREATE TABLE articles (
    id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    url TEXT NOT NULL UNIQUE, canonical_url TEXT, guid TEXT, title TEXT NOT NULL, byline TEXT, published TEXT,
    published_is_fallback INTEGER NOT NULL DEFAULT 0, sort_at TEXT NOT NULL, fetched_at TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '', html TEXT NOT NULL DEFAULT '', summary TEXT, lead_image TEXT, site_name TEXT,
    section TEXT, lang TEXT, extracted_from TEXT NOT NULL DEFAULT 'feed' CHECK (extracted_from IN ('page', 'feed')),
    extraction_method TEXT, extraction_error TEXT, duplicate_of INTEGER REFERENCES articles (id) ON DELETE SET NULL
  );
  CREATE UNIQUE INDEX articles_source_guid ON articles (source_id, guid) WHERE guid IS NOT NULL;
  CREATE INDEX articles_sort ON articles (sort_at DESC, id DESC);
  CREATE INDEX articles_source_sort ON articles (source_id, sort_at DESC, id DESC);
  CREATE INDEX articles_canonical ON articles (canonical_url) WHERE canonical_url IS NOT NULL;
  CREATE INDEX articles_duplicate_of ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;`,
  // 2: full-text index over title + text, kept in sync by triggers
  `CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text, content = 'articles', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
  END;
  CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
  END;
  CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
  END;
  INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');`,
  // 3: stories
  `CREATE TABLE stories (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, summary TEXT, first_seen TEXT NOT NULL, last_updated TEXT NOT NULL,
    article_count INTEGER NOT NULL DEFAULT 0, source_count INTEGER NOT NULL DEFAULT 0,
    score REAL NOT NULL DEFAULT 0, merged_into INTEGER REFERENCES stories (id) ON DELETE SET NULL
  );
  CREATE INDEX stories_rank ON stories (score DESC, last_updated DESC, id DESC) WHERE merged_into IS NULL;
  CREATE INDEX stories_merged_into ON stories (merged_into) WHERE merged_into IS NOT NULL;
  ALTER TABLE articles ADD COLUMN story_id INTEGER REFERENCES stories (id) ON DELETE SET NULL;
  CREATE INDEX articles_story ON articles (story_id, sort_at, id) WHERE story_id IS NOT NULL;`,
  // 4: entities (people, organisations, places), quotes, entity mentions
  `CREATE TABLE persons (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('PER', 'ORG', 'LOC')), UNIQUE (name_key, type)
  );
  CREATE TABLE person_aliases (
    id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    alias TEXT NOT NULL, alias_key TEXT NOT NULL, UNIQUE (person_id, alias_key)
  );
  CREATE INDEX person_aliases_key ON person_aliases (alias_key);
  CREATE TABLE quotes (
    id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    story_id INTEGER REFERENCES stories (id) ON DELETE SET NULL, quote TEXT NOT NULL, start_pos INTEGER NOT NULL,
    end_pos INTEGER NOT NULL, speaker TEXT, speaker_role TEXT,
    person_id INTEGER REFERENCES persons (id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'mixed', 'indirect')), stance TEXT, cue TEXT
  );
  CREATE INDEX quotes_article ON quotes (article_id, start_pos);
  CREATE INDEX quotes_story ON quotes (story_id) WHERE story_id IS NOT NULL;
  CREATE INDEX quotes_person ON quotes (person_id) WHERE person_id IS NOT NULL;
  CREATE TABLE article_entities (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE, count INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (article_id, person_id)
  ) WITHOUT ROWID;
  CREATE INDEX article_entities_person ON article_entities (person_id, article_id);`,
  // 5: reading state, section facet
  `ALTER TABLE articles ADD COLUMN read_at TEXT;
  CREATE INDEX articles_section ON articles (section, sort_at DESC, id DESC) WHERE section IS NOT NULL;`,
  // 6: re-index an article only when its title or text really changed
  `DROP TRIGGER articles_fts_au;
  CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles
  WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
  END;`,
  // 7: WebSub subscription per source
  `ALTER TABLE sources ADD COLUMN websub_hub TEXT;
  ALTER TABLE sources ADD COLUMN websub_topic TEXT;
  ALTER TABLE sources ADD COLUMN websub_secret TEXT;
  ALTER TABLE sources ADD COLUMN websub_lease_until TEXT;
  ALTER TABLE sources ADD COLUMN websub_state TEXT CHECK (websub_state IN ('pending', 'active', 'denied'));
  ALTER TABLE sources ADD COLUMN websub_requested_at TEXT;`,
  // 8: analysis shared by several processes: pending articles, named leases, counters.
  // Articles stored before this were analysed inline, so they count as analysed.
  `ALTER TABLE articles ADD COLUMN analysed_at TEXT;
  ALTER TABLE articles ADD COLUMN original_url TEXT;
  UPDATE articles SET analysed_at = fetched_at;
  CREATE INDEX articles_pending ON articles (id) WHERE analysed_at IS NULL;
  CREATE TABLE leases (
    name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at REAL NOT NULL
  );
  CREATE TABLE counters (
    name TEXT PRIMARY KEY, value INTEGER NOT NULL
  );`,
  // 9: analysis as a unit of work (attempts and last error per article), lease fencing tokens
  `ALTER TABLE articles ADD COLUMN analysis_attempts INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE articles ADD COLUMN analysis_error TEXT;
  ALTER TABLE articles ADD COLUMN analysis_failed_at TEXT;
  CREATE INDEX articles_failed ON articles (analysis_failed_at) WHERE analysis_attempts > 0 AND analysed_at IS NULL;
  ALTER TABLE leases ADD COLUMN token INTEGER NOT NULL DEFAULT 1;`,
  // 10: accounts: users (name unique case-folded), sessions (id = hash of the cookie token),
  // app passwords (hash of the secret, API scope), login attempts (throttling by key)
  `CREATE TABLE users (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
    admin INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE TABLE app_passwords (
    id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE, scope TEXT NOT NULL DEFAULT 'all' CHECK (scope IN ('all', 'greader', 'fever')),
    created_at TEXT NOT NULL, last_used_at TEXT, UNIQUE (user_id, name)
  );
  CREATE TABLE login_attempts (
    key TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_at TEXT NOT NULL
  );`,
  // 11: per-user subscriptions over the shared sources, per-user article state (read,
  // starred, hidden by rules). articles.read_at (5) stays but nothing reads it: there
  // were no users to give the old global flag to.
  `CREATE TABLE subscriptions (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    folder TEXT, title TEXT, created_at TEXT NOT NULL, PRIMARY KEY (user_id, source_id)
  ) WITHOUT ROWID;
  CREATE INDEX subscriptions_source ON subscriptions (source_id);
  CREATE TABLE article_states (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    read_at TEXT, starred_at TEXT, hidden_at TEXT, PRIMARY KEY (user_id, article_id)
  ) WITHOUT ROWID;
  CREATE INDEX article_states_article ON article_states (article_id);
  CREATE INDEX article_states_starred ON article_states (user_id, starred_at) WHERE starred_at IS NOT NULL;
  ALTER TABLE sources ADD COLUMN added_from_web INTEGER NOT NULL DEFAULT 0;`,
  // 12: per-user mute/keep rules (a rule covers one source or, source_id null, all the user
  // follows); which flags of article_states the rules set (1 read, 2 hidden, 4 starred);
  // the personal digest's schedule on users (hour, IANA zone, address, local day last sent)
  `CREATE TABLE rules (
    id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source_id INTEGER REFERENCES sources (id) ON DELETE CASCADE,
    field TEXT NOT NULL CHECK (field IN ('title', 'text', 'author', 'outlet', 'any')), pattern TEXT NOT NULL,
    is_regex INTEGER NOT NULL DEFAULT 0, action TEXT NOT NULL CHECK (action IN ('read', 'hide', 'star')),
    kind TEXT NOT NULL CHECK (kind IN ('mute', 'keep')), created_at TEXT NOT NULL
  );
  CREATE INDEX rules_user ON rules (user_id, id);
  ALTER TABLE article_states ADD COLUMN ruled INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN brief_hour INTEGER;
  ALTER TABLE users ADD COLUMN brief_tz TEXT;
  ALTER TABLE users ADD COLUMN brief_to TEXT;
  ALTER TABLE users ADD COLUMN brief_sent_on TEXT;`,
  // 13: the Fever key of an app password (md5 of "user:secret", what Fever clients send;
  // see src/sync/fever/README.md for the trade-off)
  `ALTER TABLE app_passwords ADD COLUMN fever_key TEXT;
  CREATE UNIQUE INDEX app_passwords_fever_key ON app_passwords (fever_key) WHERE fever_key IS NOT NULL;`,
];

export const PG_MIGRATIONS: readonly string[] = [
  // 1: sources, fetch log, articles
  `CREATE TABLE sources (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, url text NOT NULL UNIQUE,
    kind text NOT NULL DEFAULT 'feed' CHECK (kind IN ('feed', 'sitemap')), title text, site_url text, folder text,
    etag text, last_modified text, last_fetched_at timestamptz, last_status integer, last_error_kind text,
    last_error text, error_count integer NOT NULL DEFAULT 0, next_due_at timestamptz,
    interval_sec integer NOT NULL DEFAULT 3600, disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX sources_due ON sources (next_due_at NULLS FIRST, id) WHERE NOT disabled;
  CREATE TABLE fetch_log (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    source_id bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE, url text NOT NULL,
    started_at timestamptz NOT NULL, status integer, outcome text NOT NULL, error text,
    new_articles integer NOT NULL DEFAULT 0, elapsed_ms integer NOT NULL DEFAULT 0
  );
  CREATE INDEX fetch_log_source ON fetch_log (source_id, started_at DESC, id DESC);
  CREATE TABLE articles (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    source_id bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE, url text NOT NULL UNIQUE,
    canonical_url text, guid text, title text NOT NULL, byline text, published text,
    published_is_fallback boolean NOT NULL DEFAULT false, sort_at timestamptz NOT NULL,
    fetched_at timestamptz NOT NULL, text text NOT NULL DEFAULT '', html text NOT NULL DEFAULT '', summary text,
    lead_image jsonb, site_name text, section text, lang text,
    extracted_from text NOT NULL DEFAULT 'feed' CHECK (extracted_from IN ('page', 'feed')), extraction_method text,
    extraction_error text, duplicate_of bigint REFERENCES articles (id) ON DELETE SET NULL
  );
  CREATE UNIQUE INDEX articles_source_guid ON articles (source_id, guid) WHERE guid IS NOT NULL;
  CREATE INDEX articles_sort ON articles (sort_at DESC, id DESC);
  CREATE INDEX articles_source_sort ON articles (source_id, sort_at DESC, id DESC);
  CREATE INDEX articles_canonical ON articles (canonical_url) WHERE canonical_url IS NOT NULL;
  CREATE INDEX articles_duplicate_of ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;`,
  // 2: full-text search: weighted tsvector (title A, text B) kept by the database, GIN index.
  // < and > become spaces so the parser never takes plain text like "<Putin>" for a tag.
  `ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, translate(coalesce(title, ''), '<>', '  ')), 'A') ||
    setweight(to_tsvector('english'::regconfig, translate(coalesce(text, ''), '<>', '  ')), 'B')
  ) STORED;
  CREATE INDEX articles_search ON articles USING gin (search);`,
  // 3: stories
  `CREATE TABLE stories (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, title text NOT NULL, summary text,
    first_seen timestamptz NOT NULL, last_updated timestamptz NOT NULL, article_count integer NOT NULL DEFAULT 0,
    source_count integer NOT NULL DEFAULT 0, score double precision NOT NULL DEFAULT 0,
    merged_into bigint REFERENCES stories (id) ON DELETE SET NULL
  );
  CREATE INDEX stories_rank ON stories (score DESC, last_updated DESC, id DESC) WHERE merged_into IS NULL;
  CREATE INDEX stories_merged_into ON stories (merged_into) WHERE merged_into IS NOT NULL;
  ALTER TABLE articles ADD COLUMN story_id bigint REFERENCES stories (id) ON DELETE SET NULL;
  CREATE INDEX articles_story ON articles (story_id, sort_at, id) WHERE story_id IS NOT NULL;`,
  // 4: entities (people, organisations, places), quotes, entity mentions
  `CREATE TABLE persons (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL, name_key text NOT NULL,
    type text NOT NULL CHECK (type IN ('PER', 'ORG', 'LOC')), UNIQUE (name_key, type)
  );
  CREATE TABLE person_aliases (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    person_id bigint NOT NULL REFERENCES persons (id) ON DELETE CASCADE, alias text NOT NULL,
    alias_key text NOT NULL, UNIQUE (person_id, alias_key)
  );
  CREATE INDEX person_aliases_key ON person_aliases (alias_key);
  CREATE TABLE quotes (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    story_id bigint REFERENCES stories (id) ON DELETE SET NULL, quote text NOT NULL, start_pos integer NOT NULL,
    end_pos integer NOT NULL, speaker text, speaker_role text,
    person_id bigint REFERENCES persons (id) ON DELETE SET NULL,
    kind text NOT NULL CHECK (kind IN ('direct', 'mixed', 'indirect')), stance text, cue text
  );
  CREATE INDEX quotes_article ON quotes (article_id, start_pos);
  CREATE INDEX quotes_story ON quotes (story_id) WHERE story_id IS NOT NULL;
  CREATE INDEX quotes_person ON quotes (person_id) WHERE person_id IS NOT NULL;
  CREATE TABLE article_entities (
    article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    person_id bigint NOT NULL REFERENCES persons (id) ON DELETE CASCADE, count integer NOT NULL DEFAULT 1,
    PRIMARY KEY (article_id, person_id)
  );
  CREATE INDEX article_entities_person ON article_entities (person_id, article_id);`,
  // 5: reading state, section facet
  `ALTER TABLE articles ADD COLUMN read_at timestamptz;
  CREATE INDEX articles_section ON articles (section, sort_at DESC, id DESC) WHERE section IS NOT NULL;`,
  // 6: WebSub subscription per source
  `ALTER TABLE sources
    ADD COLUMN websub_hub text,
    ADD COLUMN websub_topic text,
    ADD COLUMN websub_secret text,
    ADD COLUMN websub_lease_until timestamptz,
    ADD COLUMN websub_state text CHECK (websub_state IN ('pending', 'active', 'denied')),
    ADD COLUMN websub_requested_at timestamptz;`,
  // 7: analysis shared by several processes: pending articles, named leases, counters.
  // Articles stored before this were analysed inline, so they count as analysed.
  `ALTER TABLE articles ADD COLUMN analysed_at timestamptz, ADD COLUMN original_url text;
  UPDATE articles SET analysed_at = fetched_at;
  CREATE INDEX articles_pending ON articles (id) WHERE analysed_at IS NULL;
  CREATE TABLE leases (
    name text PRIMARY KEY, owner text NOT NULL, expires_at timestamptz NOT NULL
  );
  CREATE TABLE counters (
    name text PRIMARY KEY, value bigint NOT NULL
  );`,
  // 8: analysis as a unit of work (attempts and last error per article), lease fencing tokens
  `ALTER TABLE articles ADD COLUMN analysis_attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN analysis_error text, ADD COLUMN analysis_failed_at timestamptz;
  CREATE INDEX articles_failed ON articles (analysis_failed_at) WHERE analysis_attempts > 0 AND analysed_at IS NULL;
  ALTER TABLE leases ADD COLUMN token bigint NOT NULL DEFAULT 1;`,
  // 9: accounts: users (name unique case-folded), sessions (id = hash of the cookie token),
  // app passwords (hash of the secret, API scope), login attempts (throttling by key)
  `CREATE TABLE users (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL, name_key text NOT NULL UNIQUE,
    password_hash text NOT NULL, admin boolean NOT NULL DEFAULT false, created_at timestamptz NOT NULL
  );
  CREATE TABLE sessions (
    id text PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL, last_seen_at timestamptz NOT NULL, expires_at timestamptz NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE TABLE app_passwords (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE, name text NOT NULL,
    hash text NOT NULL UNIQUE, scope text NOT NULL DEFAULT 'all' CHECK (scope IN ('all', 'greader', 'fever')),
    created_at timestamptz NOT NULL, last_used_at timestamptz, UNIQUE (user_id, name)
  );
  CREATE TABLE login_attempts (
    key text PRIMARY KEY, failures integer NOT NULL, last_at timestamptz NOT NULL
  );`,
  // 10: per-user subscriptions over the shared sources, per-user article state (read,
  // starred, hidden by rules). articles.read_at (5) stays but nothing reads it.
  `CREATE TABLE subscriptions (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source_id bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    folder text, title text, created_at timestamptz NOT NULL, PRIMARY KEY (user_id, source_id)
  );
  CREATE INDEX subscriptions_source ON subscriptions (source_id);
  CREATE TABLE article_states (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    read_at timestamptz, starred_at timestamptz, hidden_at timestamptz, PRIMARY KEY (user_id, article_id)
  );
  CREATE INDEX article_states_article ON article_states (article_id);
  CREATE INDEX article_states_starred ON article_states (user_id, starred_at) WHERE starred_at IS NOT NULL;
  ALTER TABLE sources ADD COLUMN added_from_web boolean NOT NULL DEFAULT false;`,
  // 11: per-user mute/keep rules (a rule covers one source or, source_id null, all the user
  // follows); which flags of article_states the rules set (1 read, 2 hidden, 4 starred);
  // the personal digest's schedule on users (hour, IANA zone, address, local day last sent)
  `CREATE TABLE rules (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source_id bigint REFERENCES sources (id) ON DELETE CASCADE,
    field text NOT NULL CHECK (field IN ('title', 'text', 'author', 'outlet', 'any')), pattern text NOT NULL,
    is_regex boolean NOT NULL DEFAULT false, action text NOT NULL CHECK (action IN ('read', 'hide', 'star')),
    kind text NOT NULL CHECK (kind IN ('mute', 'keep')), created_at timestamptz NOT NULL
  );
  CREATE INDEX rules_user ON rules (user_id, id);
  ALTER TABLE article_states ADD COLUMN ruled integer NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN brief_hour integer, ADD COLUMN brief_tz text, ADD COLUMN brief_to text,
    ADD COLUMN brief_sent_on text;`,
  // 13: as SQLite 13
  `ALTER TABLE app_passwords ADD COLUMN fever_key text;
  CREATE UNIQUE INDEX app_passwords_fever_key ON app_passwords (fever_key) WHERE fever_key IS NOT NULL;`,
];
