-- Entities and per-attribute provenance.
-- Depends on 01_core.sql (workspaces, users) and 02_integrations.sql
-- (integration_definitions, referenced by the provenance FKs).

CREATE TABLE entities (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id           uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    type                   varchar(100) NOT NULL,
    name                   text NOT NULL,
    payload                jsonb NOT NULL DEFAULT '{}'::jsonb,

    -- Provenance: where the entity came from.
    source_type            varchar(50) NOT NULL DEFAULT 'USER_CREATED',
    source_integration_id  uuid
        CONSTRAINT fk_entities_source_integration
        REFERENCES integration_definitions(id) ON DELETE SET NULL,
    source_external_id     text,
    source_url             text,
    first_synced_at        timestamp with time zone,
    last_synced_at         timestamp with time zone,
    sync_version           bigint NOT NULL DEFAULT 0,

    created_by             uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at             timestamp with time zone NOT NULL DEFAULT now(),
    updated_at             timestamp with time zone NOT NULL DEFAULT now()
);

-- One row per (entity, attribute): which source last wrote the attribute and
-- whether a user has overridden it. attribute_id identifies an attribute of the
-- entity's type schema (no FK; attributes live in the type's JSON schema).
CREATE TABLE entity_attribute_provenance (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entity_id              uuid NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    attribute_id           uuid NOT NULL,
    source_type            varchar(50) NOT NULL DEFAULT 'USER_CREATED',
    source_integration_id  uuid
        CONSTRAINT fk_entity_attribute_provenance_source_integration
        REFERENCES integration_definitions(id) ON DELETE SET NULL,
    source_external_field  varchar(255),
    last_updated_at        timestamp with time zone NOT NULL DEFAULT now(),
    override_by_user       boolean NOT NULL DEFAULT false,
    override_at            timestamp with time zone,
    UNIQUE (entity_id, attribute_id)
);
