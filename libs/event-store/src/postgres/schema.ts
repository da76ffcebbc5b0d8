/**
 * Schema of the SQL event store, shared by the PostgreSQL adapter and the embedded (PGlite) one.
 *
 * Gap-safe global order: `global_position` comes from an identity sequence, and sequence numbers are
 * handed out before commit, so a transaction that took number 7 can commit after one that took 8.
 * A subscriber that had read up to 8 would then never see 7. Instead of serialising every append
 * (which costs ~3x under concurrency), each row records the id of the transaction that wrote it
 * (`pg_current_xact_id()`), readers order by (transaction_id, global_position) and only read rows of
 * transactions older than the oldest transaction still running (`pg_snapshot_xmin`). Below that
 * high-water mark nothing can appear any more, so a checkpoint (transaction_id, global_position)
 * never skips an event. The price: a long-running transaction anywhere in the cluster holds back
 * subscribers (not writers) until it ends.
 */
export function assertSafeIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`Invalid schema name "${name}": use lower-case letters, digits and underscores`);
  }
  return name;
}

export function schemaSql(schema: string): string {
  const s = assertSafeIdentifier(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${s};

CREATE TABLE IF NOT EXISTS ${s}.streams (
  stream_name text PRIMARY KEY,
  revision    bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS ${s}.events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  event_id        uuid NOT NULL UNIQUE,
  stream_name     text NOT NULL,
  category        text NOT NULL,
  stream_revision bigint NOT NULL,
  event_type      text NOT NULL,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream_name, stream_revision)
);

CREATE INDEX IF NOT EXISTS events_global_order ON ${s}.events (transaction_id, global_position);
CREATE INDEX IF NOT EXISTS events_category_order ON ${s}.events (category, transaction_id, global_position);

CREATE TABLE IF NOT EXISTS ${s}.checkpoints (
  processor        text PRIMARY KEY,
  commit_position  bigint NOT NULL,
  prepare_position bigint NOT NULL,
  version          integer NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- One round trip per append: check and move the stream revision, then insert the events.
-- Raises SQLSTATE P0001 with HINT 'OMS_WRONG_EXPECTED_REVISION' and the actual revision in DETAIL
-- when the expectation does not hold; duplicate event ids surface as unique_violation (23505),
-- which the client turns into an idempotent success or an IdempotencyViolationError.
CREATE OR REPLACE FUNCTION ${s}.append_events(
  p_stream text, p_category text, p_expected_kind text, p_expected bigint, p_events jsonb
) RETURNS TABLE (next_revision bigint, commit_position bigint, prepare_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count  bigint := jsonb_array_length(p_events);
  v_new    bigint;
  v_actual bigint;
BEGIN
  IF p_expected_kind = 'no_stream' THEN
    INSERT INTO ${s}.streams AS st (stream_name, revision) VALUES (p_stream, v_count - 1)
      ON CONFLICT (stream_name) DO NOTHING
      RETURNING st.revision INTO v_new;
  ELSIF p_expected_kind = 'exact' THEN
    UPDATE ${s}.streams AS st SET revision = st.revision + v_count
      WHERE st.stream_name = p_stream AND st.revision = p_expected
      RETURNING st.revision INTO v_new;
  ELSIF p_expected_kind = 'stream_exists' THEN
    UPDATE ${s}.streams AS st SET revision = st.revision + v_count
      WHERE st.stream_name = p_stream
      RETURNING st.revision INTO v_new;
  ELSIF p_expected_kind = 'any' THEN
    INSERT INTO ${s}.streams AS st (stream_name, revision) VALUES (p_stream, v_count - 1)
      ON CONFLICT (stream_name) DO UPDATE SET revision = st.revision + v_count
      RETURNING st.revision INTO v_new;
  ELSE
    RAISE EXCEPTION 'unknown expected revision kind %', p_expected_kind;
  END IF;

  IF v_new IS NULL THEN
    SELECT st.revision INTO v_actual FROM ${s}.streams st WHERE st.stream_name = p_stream;
    RAISE EXCEPTION 'wrong expected revision for %', p_stream
      USING HINT = 'OMS_WRONG_EXPECTED_REVISION', DETAIL = coalesce(v_actual::text, 'no_stream');
  END IF;

  RETURN QUERY
  WITH inserted AS (
    INSERT INTO ${s}.events (event_id, stream_name, category, stream_revision, event_type, data, metadata)
    SELECT (e.value->>'id')::uuid, p_stream, p_category, v_new - v_count + e.ordinality,
           e.value->>'type', e.value->'data', e.value->'metadata'
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ordinality)
     ORDER BY e.ordinality
    RETURNING global_position
  )
  SELECT v_new, pg_current_xact_id()::text::bigint, max(i.global_position) FROM inserted i;
END
$fn$;
`;
}
