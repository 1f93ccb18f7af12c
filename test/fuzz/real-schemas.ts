/**
 * The real-schema study's inputs: three public applications' db/structure.sql at pinned commits (read at run time,
 * never copied into this repository) and, for each, hot-path statements and migrations as the application issues
 * them. bench/real-schemas.bench.ts predicts and measures them on PostgreSQL 15 and PGlite 18.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StudyStatement {
  sql: string;
  /** Hot-path DML is compared at plan time (EXPLAIN); a migration is executed and rolled back. */
  measure: 'explain' | 'execute';
}

export interface StudySchema {
  name: string;
  /** owner/name on GitHub and the commit whose db/structure.sql is loaded. */
  repo: string;
  commit: string;
  statements: readonly StudyStatement[];
}

const dml = (sql: string): StudyStatement => ({ sql, measure: 'explain' });
const migration = (sql: string): StudyStatement => ({ sql, measure: 'execute' });

const U1 = "'00000000-0000-4000-8000-000000000001'";

export const STUDY_SCHEMAS: readonly StudySchema[] = [
  {
    name: 'openstreetmap-website',
    repo: 'openstreetmap/openstreetmap-website',
    commit: '9da0fa5ecbff8adc5e6e91c7cf22546755a91f77',
    statements: [
      dml('SELECT * FROM current_nodes WHERE id = 1'),
      dml('SELECT * FROM current_nodes WHERE tile IN (1, 2, 3) AND latitude BETWEEN 0 AND 100 AND longitude BETWEEN 0 AND 100'),
      dml('SELECT way_id FROM current_way_nodes WHERE node_id IN (1, 2)'),
      dml('SELECT * FROM changesets WHERE id = 1 FOR UPDATE'),
      dml('UPDATE changesets SET num_changes = num_changes + 1, min_lat = 0, max_lat = 10 WHERE id = 1'),
      dml("INSERT INTO changeset_tags (changeset_id, k, v) VALUES (1, 'comment', 'fix')"),
      dml(
        'INSERT INTO current_nodes (latitude, longitude, changeset_id, visible, "timestamp", tile, version) VALUES (1, 1, 1, true, now(), 1, 1)',
      ),
      dml("SELECT * FROM notes WHERE status = 'open' AND tile BETWEEN 1 AND 100 ORDER BY updated_at DESC LIMIT 100"),
      dml("SELECT * FROM users WHERE display_name = 'mapper'"),
      dml("SELECT * FROM users WHERE lower(email) = 'a@example.org'"),
      dml('SELECT * FROM diary_entries WHERE user_id = 1 AND visible ORDER BY created_at DESC LIMIT 20'),
      dml('DELETE FROM current_way_nodes WHERE way_id = 1'),
      dml("INSERT INTO note_comments (note_id, visible, created_at, author_id, body, event) VALUES (1, true, now(), 1, 'x', 'commented')"),
      dml(
        'SELECT * FROM delayed_jobs WHERE run_at <= now() AND locked_at IS NULL AND failed_at IS NULL ORDER BY priority, run_at LIMIT 5 FOR UPDATE',
      ),
      dml("SELECT * FROM oauth_access_tokens WHERE token = 'x' AND revoked_at IS NULL"),
      dml('SELECT n.* FROM current_nodes n JOIN current_way_nodes w ON w.node_id = n.id WHERE w.way_id = 1 ORDER BY w.sequence_id'),
      migration('CREATE INDEX index_notes_on_updated_at ON notes (updated_at)'),
      migration('ALTER TABLE users ADD COLUMN last_seen_at timestamp'),
      migration('ALTER TABLE changesets ADD COLUMN num_tags integer DEFAULT 0 NOT NULL'),
      migration('ALTER TABLE diary_entries ALTER COLUMN title TYPE text'),
      migration('ALTER TABLE note_comments ADD CONSTRAINT fk_note_comments_author FOREIGN KEY (author_id) REFERENCES users (id)'),
      migration('ALTER TABLE users RENAME COLUMN description TO about'),
      migration('DROP INDEX changesets_closed_at_idx'),
      migration('ALTER TABLE notes ADD COLUMN body text'),
      migration('TRUNCATE gps_points'),
    ],
  },
  {
    name: 'danbooru',
    repo: 'danbooru/danbooru',
    commit: '06587d1f933502ae5d749c967787d44be3938846',
    statements: [
      dml('SELECT * FROM posts WHERE id = 1'),
      dml("SELECT * FROM posts WHERE md5 = 'd41d8cd98f00b204e9800998ecf8427e'"),
      dml(
        'SELECT posts.* FROM posts JOIN favorites ON favorites.post_id = posts.id WHERE favorites.user_id = 1 ORDER BY favorites.id DESC LIMIT 20',
      ),
      dml('SELECT * FROM comments WHERE post_id = 1 AND is_deleted = false ORDER BY id'),
      dml("SELECT * FROM users WHERE lower(name) = 'albert'"),
      dml("SELECT * FROM tags WHERE name IN ('touhou', 'solo')"),
      dml('UPDATE posts SET fav_count = fav_count + 1 WHERE id = 1'),
      dml('INSERT INTO favorites (user_id, post_id) VALUES (1, 1)'),
      dml('DELETE FROM favorites WHERE user_id = 1 AND post_id = 1'),
      dml('INSERT INTO post_votes (post_id, user_id, score, created_at, updated_at, is_deleted) VALUES (1, 1, 1, now(), now(), false)'),
      dml('UPDATE users SET last_logged_in_at = now() WHERE id = 1'),
      dml('SELECT * FROM posts WHERE id = 1 FOR UPDATE'),
      dml('SELECT count(*) FROM forum_posts WHERE topic_id = 1'),
      dml("INSERT INTO comments (post_id, creator_id, body, created_at, updated_at, updater_id) VALUES (1, 1, 'x', now(), now(), 1)"),
      dml(
        'SELECT * FROM good_jobs WHERE finished_at IS NULL AND (scheduled_at <= now() OR scheduled_at IS NULL) ORDER BY priority DESC NULLS LAST, created_at LIMIT 1 FOR UPDATE SKIP LOCKED',
      ),
      dml('SELECT * FROM post_votes WHERE post_id = 1 AND user_id = 1 AND is_deleted = false'),
      migration('CREATE INDEX index_posts_on_score ON posts (score)'),
      migration('ALTER TABLE posts ADD COLUMN ai_score integer'),
      migration('ALTER TABLE comments ADD COLUMN edited_at timestamp DEFAULT now()'),
      migration('ALTER TABLE users ALTER COLUMN name TYPE text'),
      migration('ALTER TABLE favorites ADD CONSTRAINT fk_favorites_user FOREIGN KEY (user_id) REFERENCES users (id)'),
      migration('DROP INDEX index_comments_on_created_at'),
      migration('ALTER TABLE tags ALTER COLUMN post_count SET DEFAULT 1'),
      migration('ALTER TABLE post_votes ADD COLUMN weight integer NOT NULL DEFAULT 1'),
      migration('TRUNCATE ip_geolocations'),
    ],
  },
  {
    name: 'lago-api',
    repo: 'getlago/lago-api',
    commit: '1b1c24a6a6c321d7900b05906bf1b20f706c97c2',
    statements: [
      dml(`SELECT * FROM invoices WHERE id = ${U1}`),
      dml(`SELECT * FROM customers WHERE organization_id = ${U1} AND external_id = 'cus_1' AND deleted_at IS NULL`),
      dml(`SELECT * FROM subscriptions WHERE external_id = 'sub_1' AND status = 1`),
      dml(`SELECT * FROM wallets WHERE customer_id = ${U1} AND status = 0 FOR UPDATE`),
      dml(`UPDATE wallets SET balance_cents = balance_cents - 100, lock_version = lock_version + 1 WHERE id = ${U1} AND lock_version = 3`),
      dml(
        `INSERT INTO events (organization_id, transaction_id, code, properties, "timestamp", created_at, updated_at, external_subscription_id) VALUES (${U1}, 'tx', 'api_calls', '{}', now(), now(), now(), 'sub_1')`,
      ),
      dml(
        `SELECT * FROM enriched_events WHERE "timestamp" >= '2026-01-01' AND "timestamp" < '2026-02-01' AND organization_id = ${U1} AND external_subscription_id = 'sub_1'`,
      ),
      dml(`SELECT fees.* FROM fees JOIN invoices ON invoices.id = fees.invoice_id WHERE invoices.customer_id = ${U1}`),
      dml(`UPDATE invoices SET payment_status = 1 WHERE id = ${U1}`),
      dml(`SELECT * FROM charges WHERE plan_id = ${U1} AND deleted_at IS NULL`),
      dml(`DELETE FROM cached_aggregations WHERE organization_id = ${U1} AND "timestamp" < now()`),
      dml(`SELECT * FROM wallet_transactions WHERE wallet_id = ${U1} ORDER BY created_at DESC LIMIT 20`),
      dml(`SELECT * FROM invoices WHERE organization_id = ${U1} AND status = 1 ORDER BY issuing_date DESC LIMIT 25`),
      dml(`UPDATE subscriptions SET status = 2, terminated_at = now() WHERE id = ${U1}`),
      dml(`SELECT * FROM fees WHERE invoice_id = ${U1} AND deleted_at IS NULL FOR UPDATE`),
      dml(
        `SELECT * FROM events WHERE organization_id = ${U1} AND external_subscription_id = 'sub_1' AND "timestamp" >= now() - interval '1 month'`,
      ),
      migration('CREATE INDEX index_fees_on_created_at ON fees (created_at)'),
      migration('ALTER TABLE invoices ADD COLUMN reminded_at timestamp(6)'),
      migration('ALTER TABLE wallets ADD COLUMN priority_rank integer DEFAULT 50 NOT NULL'),
      migration('ALTER TABLE webhook_endpoints ALTER COLUMN webhook_url TYPE text'),
      migration('ALTER TABLE subscriptions ADD CONSTRAINT fk_subscriptions_plan_study FOREIGN KEY (plan_id) REFERENCES plans (id)'),
      migration('ALTER TABLE fees ALTER COLUMN units SET DEFAULT 0'),
      migration('CREATE INDEX index_enriched_events_on_charge_id ON enriched_events (charge_id)'),
      migration('ALTER TABLE events ADD COLUMN source varchar'),
      migration('DROP INDEX index_fees_on_add_on_id'),
    ],
  },
];

const ROOT = join(__dirname, '..', '..');

/**
 * The shared copy of openstreetmap-website's structure.sql: ../shared/schemas beside the repository (a worktree one
 * level deeper looks one level up too).
 */
export const SHARED_OSM =
  [join(ROOT, '..', 'shared'), join(ROOT, '..', '..', 'shared')]
    .map((dir) => join(dir, 'schemas', 'openstreetmap-website.structure.sql'))
    .find((file) => existsSync(file)) ?? join(ROOT, '..', 'shared', 'schemas', 'openstreetmap-website.structure.sql');

/**
 * A study schema's structure.sql: the shared copy for openstreetmap-website, else `git show` from the local mirror
 * (/work/.mirror/<owner>+<name>/repo, or $STUDY_MIRRORS) at the pinned commit. undefined when neither is there.
 */
export function studySchemaText(schema: StudySchema): string | undefined {
  if (schema.name === 'openstreetmap-website' && existsSync(SHARED_OSM)) return readFileSync(SHARED_OSM, 'utf8');
  const mirrors = process.env['STUDY_MIRRORS'] ?? '/work/.mirror';
  const gitDir = join(mirrors, schema.repo.replace('/', '+'), 'repo');
  if (!existsSync(gitDir)) return undefined;
  try {
    return execFileSync('git', ['--git-dir', gitDir, 'show', `${schema.commit}:db/structure.sql`], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
  } catch {
    return undefined;
  }
}
