-- V001 — Add entity provenance fields
-- Commit bf8519a: feat(01-01): configure Flyway and add entity provenance tracking
-- Adds 7 provenance/sync columns to entities, backfills source_type for existing
-- rows and creates partial indexes on the external-source columns.
-- The FK on source_integration_id is added later, in V004.

ALTER TABLE entities ADD COLUMN source_type VARCHAR(50) DEFAULT 'USER_CREATED';
ALTER TABLE entities ADD COLUMN source_integration_id UUID;
ALTER TABLE entities ADD COLUMN source_external_id TEXT;
ALTER TABLE entities ADD COLUMN source_url TEXT;
ALTER TABLE entities ADD COLUMN first_synced_at TIMESTAMPTZ;
ALTER TABLE entities ADD COLUMN last_synced_at TIMESTAMPTZ;
ALTER TABLE entities ADD COLUMN sync_version BIGINT NOT NULL DEFAULT 0;

-- Backfill: every entity that existed before integrations was created by a user.
UPDATE entities SET source_type = 'USER_CREATED' WHERE source_type IS NULL;

ALTER TABLE entities ALTER COLUMN source_type SET NOT NULL;

CREATE INDEX idx_entities_source_integration
    ON entities(source_integration_id)
    WHERE source_integration_id IS NOT NULL;

CREATE INDEX idx_entities_source_external_id
    ON entities(source_external_id)
    WHERE source_external_id IS NOT NULL;
