-- V006 — Add provenance RLS and schema cleanup (UNCOMMITTED in the original branch)
-- 1. Enables RLS on entity_attribute_provenance, scoped through
--    entity_id -> entities.workspace_id -> workspace_members.
-- 2. Drops indexes made redundant by UNIQUE constraints.
-- 3. Drops the SELECT policy superseded by the FOR ALL policy.

ALTER TABLE entity_attribute_provenance ENABLE ROW LEVEL SECURITY;

CREATE POLICY entity_attribute_provenance_workspace_access ON entity_attribute_provenance
    FOR ALL
    TO authenticated
    USING (
        entity_id IN (
            SELECT e.id
            FROM entities e
            JOIN workspace_members wm ON wm.workspace_id = e.workspace_id
            WHERE wm.user_id = auth.uid()
        )
    )
    WITH CHECK (
        entity_id IN (
            SELECT e.id
            FROM entities e
            JOIN workspace_members wm ON wm.workspace_id = e.workspace_id
            WHERE wm.user_id = auth.uid()
        )
    );

-- Covered by the UNIQUE constraint on slug.
DROP INDEX IF EXISTS idx_integration_definitions_slug;
-- Covered by the leading column of UNIQUE (workspace_id, integration_id).
DROP INDEX IF EXISTS idx_integration_connections_workspace;

-- Superseded by integration_connections_workspace_access (FOR ALL).
DROP POLICY IF EXISTS integration_connections_select_by_workspace ON integration_connections;
