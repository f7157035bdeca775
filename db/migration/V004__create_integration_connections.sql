-- V004 — Create integration_connections
-- Commit 521b712: feat(01-02): integration enums, database migrations, and RLS policies
-- Workspace-scoped connections to catalog integrations, with RLS, plus the
-- retroactive FKs for the provenance columns created in V001/V002.

CREATE TABLE integration_connections (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id         UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    integration_id       UUID NOT NULL REFERENCES integration_definitions(id),
    nango_connection_id  TEXT,
    status               VARCHAR(50) NOT NULL DEFAULT 'PENDING_AUTHORIZATION',
    connection_metadata  JSONB,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by           UUID,
    updated_by           UUID,
    UNIQUE (workspace_id, integration_id)
);

CREATE INDEX idx_integration_connections_workspace ON integration_connections(workspace_id);
CREATE INDEX idx_integration_connections_status ON integration_connections(status);
CREATE INDEX idx_integration_connections_integration ON integration_connections(integration_id);

ALTER TABLE integration_connections ENABLE ROW LEVEL SECURITY;

CREATE POLICY integration_connections_select_by_workspace ON integration_connections
    FOR SELECT
    TO authenticated
    USING (
        workspace_id IN (
            SELECT workspace_id FROM workspace_members WHERE user_id = auth.uid()
        )
    );

CREATE POLICY integration_connections_workspace_access ON integration_connections
    FOR ALL
    TO authenticated
    USING (
        workspace_id IN (
            SELECT workspace_id FROM workspace_members WHERE user_id = auth.uid()
        )
    )
    WITH CHECK (
        workspace_id IN (
            SELECT workspace_id FROM workspace_members WHERE user_id = auth.uid()
        )
    );

-- Retroactive FKs for provenance columns (V001 / V002).
ALTER TABLE entities
    ADD CONSTRAINT fk_entities_source_integration
    FOREIGN KEY (source_integration_id)
    REFERENCES integration_definitions(id) ON DELETE SET NULL;

ALTER TABLE entity_attribute_provenance
    ADD CONSTRAINT fk_entity_attribute_provenance_source_integration
    FOREIGN KEY (source_integration_id)
    REFERENCES integration_definitions(id) ON DELETE SET NULL;
