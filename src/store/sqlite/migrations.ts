// SQLite schema as numbered, append-only migrations: the schema version is the number of
// entries applied (kept in schema_migrations). Never edit an entry; add a new one at the end.

export const SQLITE_MIGRATIONS: readonly string[] = [
  // 1: sources, fetch log, articles
  `
  CREATE TABLE sources (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL DEFAULT 'feed' CHECK (kind IN ('feed', 'sitemap')),
    title           TEXT,
    site_url        TEXT,
    folder          TEXT,
    etag            TEXT,
    last_modified   TEXT,
    last_fetched_at TEXT,
    last_status     INTEGER,
    last_error_kind TEXT,
    last_error      TEXT,
    error_count     INTEGER NOT NULL DEFAULT 0,
    next_due_at     TEXT,
    interval_sec    INTEGER NOT NULL DEFAULT 3600,
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
  );
  CREATE INDEX sources_due ON sources (next_due_at, id) WHERE disabled = 0;

  CREATE TABLE fetch_log (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    url          TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    status       INTEGER,
    outcome      TEXT NOT NULL,
    error        TEXT,
    new_articles INTEGER NOT NULL DEFAULT 0,
    elapsed_ms   INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX fetch_log_source ON fetch_log (source_id, started_at DESC, id DESC);

  CREATE TABLE articles (
    id                    INTEGER PRIMARY KEY,
    source_id             INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    url                   TEXT NOT NULL UNIQUE,
    canonical_url         TEXT,
    guid                  TEXT,
    title                 TEXT NOT NULL,
    byline                TEXT,
    published             TEXT,
    published_is_fallback INTEGER NOT NULL DEFAULT 0,
    sort_at               TEXT NOT NULL,
    fetched_at            TEXT NOT NULL,
    text                  TEXT NOT NULL DEFAULT '',
    html                  TEXT NOT NULL DEFAULT '',
    summary               TEXT,
    lead_image            TEXT,
    site_name             TEXT,
    section               TEXT,
    lang                  TEXT,
    extracted_from        TEXT NOT NULL DEFAULT 'feed' CHECK (extracted_from IN ('page', 'feed')),
    extraction_method     TEXT,
    extraction_error      TEXT,
    duplicate_of          INTEGER REFERENCES articles (id) ON DELETE SET NULL
  );
  CREATE UNIQUE INDEX articles_source_guid ON articles (source_id, guid) WHERE guid IS NOT NULL;
  CREATE INDEX articles_sort ON articles (sort_at DESC, id DESC);
  CREATE INDEX articles_source_sort ON articles (source_id, sort_at DESC, id DESC);
  CREATE INDEX articles_canonical ON articles (canonical_url) WHERE canonical_url IS NOT NULL;
  CREATE INDEX articles_duplicate_of ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;
  `,

  // 2: full-text index over title + text, kept in sync by triggers
  `
  CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    content = 'articles', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
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
  INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
  `,

  // 3: stories
  `
  CREATE TABLE stories (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    summary       TEXT,
    first_seen    TEXT NOT NULL,
    last_updated  TEXT NOT NULL,
    article_count INTEGER NOT NULL DEFAULT 0,
    source_count  INTEGER NOT NULL DEFAULT 0,
    score         REAL NOT NULL DEFAULT 0,
    merged_into   INTEGER REFERENCES stories (id) ON DELETE SET NULL
  );
  CREATE INDEX stories_rank ON stories (score DESC, last_updated DESC, id DESC) WHERE merged_into IS NULL;
  CREATE INDEX stories_merged_into ON stories (merged_into) WHERE merged_into IS NOT NULL;
  ALTER TABLE articles ADD COLUMN story_id INTEGER REFERENCES stories (id) ON DELETE SET NULL;
  CREATE INDEX articles_story ON articles (story_id, sort_at, id) WHERE story_id IS NOT NULL;
  `,

  // 4: entities (people, organisations, places), quotes, entity mentions
  `
  CREATE TABLE persons (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    name_key TEXT NOT NULL,
    type     TEXT NOT NULL CHECK (type IN ('PER', 'ORG', 'LOC')),
    UNIQUE (name_key, type)
  );
  CREATE TABLE person_aliases (
    id        INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    alias     TEXT NOT NULL,
    alias_key TEXT NOT NULL,
    UNIQUE (person_id, alias_key)
  );
  CREATE INDEX person_aliases_key ON person_aliases (alias_key);

  CREATE TABLE quotes (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    story_id     INTEGER REFERENCES stories (id) ON DELETE SET NULL,
    quote        TEXT NOT NULL,
    start_pos    INTEGER NOT NULL,
    end_pos      INTEGER NOT NULL,
    speaker      TEXT,
    speaker_role TEXT,
    person_id    INTEGER REFERENCES persons (id) ON DELETE SET NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('direct', 'mixed', 'indirect')),
    stance       TEXT,
    cue          TEXT
  );
  CREATE INDEX quotes_article ON quotes (article_id, start_pos);
  CREATE INDEX quotes_story ON quotes (story_id) WHERE story_id IS NOT NULL;
  CREATE INDEX quotes_person ON quotes (person_id) WHERE person_id IS NOT NULL;

  CREATE TABLE article_entities (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    count      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (article_id, person_id)
  ) WITHOUT ROWID;
  CREATE INDEX article_entities_person ON article_entities (person_id, article_id);
  `,

  // 5: reading state, section facet
  `
  ALTER TABLE articles ADD COLUMN read_at TEXT;
  CREATE INDEX articles_section ON articles (section, sort_at DESC, id DESC) WHERE section IS NOT NULL;
  `,

  // 6: re-index an article only when its title or text really changed
  `
  DROP TRIGGER articles_fts_au;
  CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles
  WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
  END;
  `,

  // 7: WebSub subscription per source
  `
  ALTER TABLE sources ADD COLUMN websub_hub TEXT;
  ALTER TABLE sources ADD COLUMN websub_topic TEXT;
  ALTER TABLE sources ADD COLUMN websub_secret TEXT;
  ALTER TABLE sources ADD COLUMN websub_lease_until TEXT;
  ALTER TABLE sources ADD COLUMN websub_state TEXT CHECK (websub_state IN ('pending', 'active', 'denied'));
  ALTER TABLE sources ADD COLUMN websub_requested_at TEXT;
  `,

  // 8: analysis shared by several processes: pending articles, named leases, counters.
  // Articles stored before this were analysed inline, so they count as analysed.
  `
  ALTER TABLE articles ADD COLUMN analysed_at TEXT;
  ALTER TABLE articles ADD COLUMN original_url TEXT;
  UPDATE articles SET analysed_at = fetched_at;
  CREATE INDEX articles_pending ON articles (id) WHERE analysed_at IS NULL;
  CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    expires_at  REAL NOT NULL
  );
  CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );
  `,
];
