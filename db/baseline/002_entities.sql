-- Baseline 002 — entities (initial project commit 933fa67).
-- Attributes are defined per entity type inside the type's JSON schema and
-- identified by UUID; there is no separate attributes table.

CREATE TABLE entities (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    type          VARCHAR(100) NOT NULL,
    name          TEXT NOT NULL,
    payload       JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_by    UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_entities_workspace_type ON entities(workspace_id, type);
CREATE INDEX idx_entities_created_by ON entities(created_by) WHERE created_by IS NOT NULL;
