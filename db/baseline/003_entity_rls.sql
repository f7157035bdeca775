-- Baseline 003 — row level security for entities (initial project commit 933fa67).
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
