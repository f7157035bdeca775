-- Row level security for integration_connections (workspace-scoped).
-- A single FOR ALL policy covers reads and writes.
-- integration_definitions is a global catalog: no RLS.

ALTER TABLE integration_connections ENABLE ROW LEVEL SECURITY;

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
