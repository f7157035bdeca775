-- V002 — Create entity_attribute_provenance
-- Commit bf8519a: feat(01-01): configure Flyway and add entity provenance tracking
-- Per-attribute source tracking: which system last wrote each attribute of an
-- entity, and whether a user has overridden it. One row per (entity, attribute).
-- The FK on source_integration_id is added later, in V004.

CREATE TABLE entity_attribute_provenance (
    id                     UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    entity_id              UUID NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    attribute_id           UUID NOT NULL,
    source_type            VARCHAR(50) NOT NULL DEFAULT 'USER_CREATED',
    source_integration_id  UUID,
    source_external_field  VARCHAR(255),
    last_updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    override_by_user       BOOLEAN NOT NULL DEFAULT false,
    override_at            TIMESTAMPTZ,
    UNIQUE (entity_id, attribute_id)
);

CREATE INDEX idx_entity_attribute_provenance_entity
    ON entity_attribute_provenance(entity_id);

CREATE INDEX idx_entity_attribute_provenance_source_integration
    ON entity_attribute_provenance(source_integration_id)
    WHERE source_integration_id IS NOT NULL;
