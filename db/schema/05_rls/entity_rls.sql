-- Row level security for entities and entity_attribute_provenance.
-- Requires the Supabase auth.uid() function.

ALTER TABLE entities ENABLE ROW LEVEL SECURITY;

CREATE POLICY entities_workspace_access ON entities
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

-- Provenance rows inherit their workspace through entity_id -> entities.workspace_id.
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
